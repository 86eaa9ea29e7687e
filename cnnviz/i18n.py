"""Every string a page shows, in English and Spanish (the reports are Spanish course work).

Each key holds both languages side by side, so a string cannot exist in one language only;
a test checks that both are filled in and use the same ``{placeholders}``.
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, tuple[str, str]] = {
    # Shell
    "app.title": ("cnnviz", "cnnviz"),
    "nav.home": ("Home", "Inicio"),
    "nav.dataset": ("Dataset", "Datos"),
    "nav.model": ("Model", "Modelo"),
    "nav.train": ("Train", "Entrenar"),
    "sidebar.language": ("Language", "Idioma"),
    "sidebar.run": ("Current run", "Ejecución actual"),
    "sidebar.no_runs": ("No runs yet", "Aún no hay ejecuciones"),
    "sidebar.presentation": ("Presentation mode (projector)", "Modo presentación (proyector)"),
    "sidebar.teacher": ("Teacher", "Docente"),
    "sidebar.teacher_password": ("Teacher password", "Contraseña docente"),
    "sidebar.teacher_wrong": ("That is not the teacher password.",
                              "Esa no es la contraseña docente."),
    "sidebar.class_mode": ("Class mode", "Modo clase"),
    "sidebar.class_mode_help": (
        "Caps the epochs, image size and images per class of student runs so each ends in "
        "about a minute, and allows one waiting or training run per student.",
        "Limita las épocas, el tamaño de imagen y las imágenes por clase de las ejecuciones "
        "de los estudiantes para que cada una acabe en un minuto, y permite una ejecución en "
        "cola o entrenando por estudiante."),
    "sidebar.class_mode_forced": ("The server was started in class mode (CNNVIZ_CLASS_MODE).",
                                  "El servidor se inició en modo clase (CNNVIZ_CLASS_MODE)."),
    "home.tour": ("First time here? A short tour", "¿Primera vez? Un recorrido breve"),
    "home.tour_steps": (
        "1. **Dataset**: pick the images — a built-in set, a folder or a ZIP of your own.  \n"
        "2. **Model**: pick a network from the reports or design one block by block; the "
        "diagram shows how each layer shrinks the image.  \n"
        "3. **Train**: press *Start training* and watch the loss fall and the accuracy rise, "
        "live.  \n"
        "4. **Evaluation**: click a cell of the confusion matrix to see which images the "
        "network mixes up.  \n"
        "5. **Look inside**: give it your own photo or drawing and see what each layer "
        "sees.  \n"
        "6. **Convolution** explains the arithmetic of one layer; **GAN** trains a network "
        "that draws.",
        "1. **Datos**: elige las imágenes — un conjunto incluido, una carpeta o un ZIP "
        "tuyo.  \n"
        "2. **Modelo**: elige una red de los informes o diseña una bloque a bloque; el "
        "diagrama muestra cómo cada capa reduce la imagen.  \n"
        "3. **Entrenar**: pulsa *Empezar a entrenar* y mira en directo cómo baja la pérdida "
        "y sube la exactitud.  \n"
        "4. **Evaluación**: haz clic en una celda de la matriz de confusión para ver qué "
        "imágenes confunde la red.  \n"
        "5. **Mirar dentro**: dale tu propia foto o dibujo y mira qué ve cada capa.  \n"
        "6. **Convolución** explica la aritmética de una capa; **GAN** entrena una red que "
        "dibuja.",
    ),
    "sidebar.device": ("Device: {device}", "Dispositivo: {device}"),
    "device.cpu": ("CPU only", "Solo CPU"),
    # Home
    "home.tagline": (
        "Train convolutional neural networks on your own images, watch them learn, and look "
        "inside them.",
        "Entrena redes neuronales convolucionales con tus propias imágenes, mira cómo aprenden "
        "y observa su interior.",
    ),
    "home.line2": (
        "Pick a dataset (built-in, a folder, a file list, a face-attribute table or a ZIP), "
        "pick or build a network, and press Start.",
        "Elige un conjunto de datos (incluido, una carpeta, una lista de ficheros, una tabla de "
        "atributos de caras o un ZIP), elige o construye una red y pulsa Empezar.",
    ),
    "home.line3": (
        "Charts update live while the network trains, in a process of its own: close the tab "
        "and come back, the run goes on.",
        "Las gráficas se actualizan mientras la red entrena, en un proceso propio: cierra la "
        "pestaña y vuelve, el entrenamiento continúa.",
    ),
    "home.start_shapes_training": ("Train a CNN on shapes: {minutes} min",
                                   "Entrena una CNN con formas: {minutes} min"),
    "home.quick_shapes_name": ("Quick start: shapes", "Inicio rápido: formas"),
    "home.start_fashion": ("Train a CNN on Fashion-MNIST: {minutes} min",
                           "Entrena una CNN con Fashion-MNIST: {minutes} min"),
    "home.quick_fashion_name": ("Quick start: Fashion-MNIST", "Inicio rápido: Fashion-MNIST"),
    "home.start_shapes": ("Explore the shapes dataset", "Explora el conjunto de formas"),
    "home.start_builder": ("Design your own network", "Diseña tu propia red"),
    "home.recent_runs": ("Recent runs", "Ejecuciones recientes"),
    "home.no_runs": ("No run yet: start one with a button above.",
                     "Aún no hay ejecuciones: empieza una con un botón de arriba."),
    # Run table
    "runs.run": ("Run", "Ejecución"),
    "runs.name": ("Name", "Nombre"),
    "runs.status": ("Status", "Estado"),
    "runs.dataset": ("Dataset", "Datos"),
    "runs.model": ("Model", "Modelo"),
    "runs.best_val_accuracy": ("Best val. accuracy", "Mejor exactitud val."),
    "runs.test_accuracy": ("Test accuracy", "Exactitud en test"),
    "runs.duration": ("Duration", "Duración"),
    "runs.default_name": ("{epochs} epochs, rate {learning_rate:g}, batch {batch_size}",
                          "{epochs} épocas, tasa {learning_rate:g}, lote {batch_size}"),
    "state.queued": ("queued", "en cola"),
    "state.running": ("running", "entrenando"),
    "state.stopping": ("stopping", "deteniéndose"),
    "state.finished": ("finished", "terminada"),
    "state.failed": ("failed", "fallida"),
    "state.interrupted": ("interrupted", "interrumpida"),
    "interrupted.worker_gone": ("The training process ended unexpectedly.",
                                "El proceso de entrenamiento terminó de forma inesperada."),
    "interrupted.before_start": ("Stopped before it started.", "Detenida antes de empezar."),
    "train.time_left": ("about {minutes} min {seconds} s left", "quedan unos {minutes} min {seconds} s"),
    "status.loading": ("Loading the data...", "Cargando los datos..."),
    "status.building": ("Building the model...", "Construyendo el modelo..."),
    "status.evaluating": ("Evaluating on the test images...",
                          "Evaluando con las imágenes de test..."),
    # Sources
    "source.shapes": ("Shapes (generated, offline)", "Formas (generadas, sin conexión)"),
    "source.digits": ("Digits 8x8 (scikit-learn)", "Dígitos 8x8 (scikit-learn)"),
    "source.fashion_mnist": ("Fashion-MNIST", "Fashion-MNIST"),
    "source.mnist": ("MNIST", "MNIST"),
    "source.cifar10": ("CIFAR-10", "CIFAR-10"),
    "source.folder": ("Folder of images", "Carpeta de imágenes"),
    "source.filelist": ("File lists (train.txt, test.txt, mapping.txt)",
                        "Listas de ficheros (train.txt, test.txt, mapping.txt)"),
    "source.attributes": ("Face attributes (CelebA)", "Atributos de caras (CelebA)"),
    "source.archive": ("ZIP upload", "Subir un ZIP"),
    "source.shapes.about": (
        "Circles, squares, triangles, stars, crosses and lines with random size, position, "
        "rotation, colour and noise. Made on this machine in a second; its feature maps are easy "
        "to read in class.",
        "Círculos, cuadrados, triángulos, estrellas, cruces y líneas con tamaño, posición, "
        "rotación, color y ruido aleatorios. Se genera en un segundo en esta máquina; sus mapas "
        "de características se leen fácilmente en clase.",
    ),
    "shape.circle": ("circle", "círculo"),
    "shape.square": ("square", "cuadrado"),
    "shape.triangle": ("triangle", "triángulo"),
    "shape.star": ("star", "estrella"),
    "shape.cross": ("cross", "cruz"),
    "shape.line": ("line", "línea"),
    "source.digits.about": ("1,797 handwritten digits of 8x8 pixels, shipped with scikit-learn.",
                            "1.797 dígitos manuscritos de 8x8 píxeles, incluidos en scikit-learn."),
    "source.fashion_mnist.about": (
        "70,000 grey 28x28 photos of clothes in 10 classes (report D). Read from this machine "
        "when present, downloaded otherwise.",
        "70.000 fotos grises de 28x28 de ropa en 10 clases (informe D). Se lee de esta máquina "
        "si está, si no se descarga.",
    ),
    "source.mnist.about": ("70,000 grey 28x28 handwritten digits.",
                           "70.000 dígitos manuscritos grises de 28x28."),
    "source.cifar10.about": ("60,000 colour 32x32 photos in 10 classes.",
                             "60.000 fotos en color de 32x32 en 10 clases."),
    "source.folder.about": (
        "One sub-folder per class (report A's paintings, report B's animals), or train/ and "
        "test/ folders each holding class folders.",
        "Una subcarpeta por clase (las pinturas del informe A, los animales del informe B), o "
        "carpetas train/ y test/ con carpetas de clases dentro.",
    ),
    "source.filelist.about": (
        "train.txt and test.txt list path<TAB>label; mapping.txt lists class<TAB>label "
        "(report C's sketches).",
        "train.txt y test.txt listan ruta<TAB>etiqueta; mapping.txt lista clase<TAB>etiqueta "
        "(los bocetos del informe C).",
    ),
    "source.attributes.about": (
        "A CelebA-style attribute table: one binary attribute is classified, with 50/50 "
        "balanced samples (report E).",
        "Una tabla de atributos al estilo de CelebA: se clasifica un atributo binario con "
        "muestras equilibradas 50/50 (informe E).",
    ),
    "source.archive.about": (
        "A ZIP of class folders, extracted safely on the server.",
        "Un ZIP con carpetas de clases, que se extrae de forma segura en el servidor.",
    ),
    # Dataset page
    "dataset.title": ("Dataset", "Conjunto de datos"),
    "dataset.source": ("Source", "Origen"),
    "dataset.source_help": ("Where the images come from.", "De dónde vienen las imágenes."),
    "dataset.per_class": ("Images per class", "Imágenes por clase"),
    "dataset.upload": ("ZIP of class folders", "ZIP con carpetas de clases"),
    "dataset.upload_help": (
        "One folder per class inside the ZIP (or train/ and test/ folders). jpg, png, bmp, "
        "webp, tiff and gif are read; other files are listed as skipped.",
        "Una carpeta por clase dentro del ZIP (o carpetas train/ y test/). Se leen jpg, png, "
        "bmp, webp, tiff y gif; los demás ficheros se listan como omitidos.",
    ),
    "dataset.path": ("Folder (inside the data folder)", "Carpeta (dentro de la carpeta de datos)"),
    "dataset.path_help.folder": (
        "A folder with one sub-folder per class, e.g. art/ with drawings/, painting/ ...",
        "Una carpeta con una subcarpeta por clase, p. ej. art/ con drawings/, painting/ ...",
    ),
    "dataset.path_help.filelist": (
        "The folder that holds train.txt, test.txt and mapping.txt.",
        "La carpeta que contiene train.txt, test.txt y mapping.txt.",
    ),
    "dataset.path_help.attributes": (
        "The CelebA folder: list_attr_celeba.txt, img_align_celeba/ and optionally "
        "list_eval_partition.txt.",
        "La carpeta de CelebA: list_attr_celeba.txt, img_align_celeba/ y opcionalmente "
        "list_eval_partition.txt.",
    ),
    "dataset.path_help.archive": ("The ZIP file.", "El fichero ZIP."),
    "dataset.need_path.folder": ("Type the folder that holds your class folders.",
                                 "Escribe la carpeta que contiene tus carpetas de clases."),
    "dataset.need_path.filelist": ("Type the folder that holds train.txt and mapping.txt.",
                                   "Escribe la carpeta que contiene train.txt y mapping.txt."),
    "dataset.need_path.attributes": ("Type the CelebA folder.", "Escribe la carpeta de CelebA."),
    "dataset.need_path.archive": ("Upload a ZIP of class folders.",
                                  "Sube un ZIP con carpetas de clases."),
    "dataset.attribute": ("Attribute to classify", "Atributo a clasificar"),
    "dataset.preparation": ("Preparation: size, channels, splits, balancing",
                            "Preparación: tamaño, canales, particiones, equilibrado"),
    "dataset.resize": ("Resize images", "Redimensionar imágenes"),
    "dataset.resize_help": (
        "Networks need every image at the same size. Smaller images train faster.",
        "Las redes necesitan todas las imágenes del mismo tamaño. Las pequeñas entrenan más rápido.",
    ),
    "dataset.size": ("Size (pixels a side)", "Tamaño (píxeles por lado)"),
    "dataset.resize_mode": ("Resize mode", "Modo de redimensionado"),
    "dataset.channels": ("Channels", "Canales"),
    "dataset.validation": ("Validation share (of training images)",
                           "Proporción de validación (de las de entrenamiento)"),
    "dataset.test": ("Test share", "Proporción de test"),
    "dataset.test_help": ("Used only when the source has no test split of its own.",
                          "Solo se usa si el origen no trae su propia partición de test."),
    "dataset.balancing": ("Balancing", "Equilibrado"),
    "dataset.balancing_help": (
        "Unbalanced classes make a network favour the common ones (reports A, B, E).",
        "Las clases desequilibradas hacen que la red favorezca las comunes (informes A, B, E).",
    ),
    "dataset.cap": ("Limit images per class", "Limitar imágenes por clase"),
    "dataset.max_per_class": ("At most per class", "Como máximo por clase"),
    "dataset.seed": ("Seed (splits and sampling)", "Semilla (particiones y muestreo)"),
    "dataset.loading": ("Loading the dataset...", "Cargando el conjunto de datos..."),
    "dataset.classes": ("Classes: merge or keep some", "Clases: fusionar o quedarse con algunas"),
    "dataset.merge": ("Classes to merge", "Clases a fusionar"),
    "dataset.merge_help": (
        "Report A merged drawings and engravings into one class to balance the set.",
        "El informe A fusionó dibujos y grabados en una sola clase para equilibrar el conjunto.",
    ),
    "dataset.merge_name": ("Name of the merged class", "Nombre de la clase fusionada"),
    "dataset.merge_button": ("Merge", "Fusionar"),
    "dataset.merge_clear": ("Undo merging", "Deshacer fusiones"),
    "dataset.keep": ("Keep only these classes (empty keeps all)",
                     "Quedarse solo con estas clases (vacío las mantiene todas)"),
    "dataset.selected": (
        "{count} images in {classes} classes, {shape}, {storage}. This dataset is selected for "
        "training.",
        "{count} imágenes en {classes} clases, {shape}, {storage}. Este conjunto está "
        "seleccionado para entrenar.",
    ),
    "dataset.distribution": ("Images per class and split", "Imágenes por clase y partición"),
    "dataset.class": ("Class", "Clase"),
    "dataset.images": ("Images", "Imágenes"),
    "dataset.samples": ("Samples (as the network sees them)",
                        "Ejemplos (como los ve la red)"),
    "dataset.sizes": ("Original image sizes", "Tamaños originales de las imágenes"),
    "dataset.sizes_help": (
        "Before resizing. Very different sizes or aspect ratios distort under stretching "
        "(report B): try crop or pad.",
        "Antes de redimensionar. Tamaños o proporciones muy distintos se deforman al estirar "
        "(informe B): prueba recortar o rellenar.",
    ),
    "dataset.skipped": ("Skipped files ({count})", "Ficheros omitidos ({count})"),
    "dataset.file": ("File", "Fichero"),
    "dataset.reason": ("Reason", "Motivo"),
    "dataset.none_skipped": ("Every file was read.", "Se leyeron todos los ficheros."),
    "dataset.augmentation": ("Augmentation (training only) and preview",
                             "Aumento de datos (solo entrenamiento) y vista previa"),
    "augment.flip": ("Flip", "Volteo"),
    "augment.rotation": ("Rotation (turns)", "Rotación (vueltas)"),
    "augment.translation": ("Shift", "Desplazamiento"),
    "augment.zoom": ("Zoom", "Zoom"),
    "augment.contrast": ("Contrast", "Contraste"),
    "augment.original": ("original", "original"),
    "flip.none": ("none", "ninguno"),
    "flip.horizontal": ("horizontal", "horizontal"),
    "flip.vertical": ("vertical", "vertical"),
    "flip.horizontal_and_vertical": ("both", "ambos"),
    "split.train": ("Train", "Entrenamiento"),
    "split.validation": ("Validation", "Validación"),
    "split.test": ("Test", "Test"),
    "resize.stretch": ("stretch", "estirar"),
    "resize.crop": ("keep aspect, crop", "mantener proporción, recortar"),
    "resize.pad": ("keep aspect, pad", "mantener proporción, rellenar"),
    "channels.None": ("as the source", "como el origen"),
    "channels.1": ("grey", "gris"),
    "channels.3": ("colour", "color"),
    "balance.none": ("none", "ninguno"),
    "balance.undersample": ("undersample common classes", "submuestrear las clases comunes"),
    "balance.oversample": ("oversample rare classes", "sobremuestrear las clases raras"),
    "balance.class_weights": ("weight the loss by class", "ponderar la pérdida por clase"),
    "storage.memory": ("in memory", "en memoria"),
    "storage.stream": ("streamed from disk", "leído del disco por partes"),
    "size.height": ("height", "alto"),
    "size.width": ("width", "ancho"),
    "size.aspect": ("aspect (w/h)", "proporción (an/al)"),
    "size.min": ("min", "mín."),
    "size.median": ("median", "mediana"),
    "size.mean": ("mean", "media"),
    "size.max": ("max", "máx."),
    # Model page
    "model.title": ("Model", "Modelo"),
    "model.input": ("Input images: {shape} ({source})", "Imágenes de entrada: {shape} ({source})"),
    "model.dataset_error": ("The chosen dataset cannot be loaded: {error}",
                            "El conjunto elegido no se puede cargar: {error}"),
    "model.architecture": ("Architecture", "Arquitectura"),
    "model.from_report": ("from report {report}", "del informe {report}"),
    "model.hidden_units": ("Hidden units", "Neuronas ocultas"),
    "model.hidden_units_help": (
        "Report D compared 2048 (overfits after about 10 epochs) and 512 (best).",
        "El informe D comparó 2048 (sobreajusta hacia la época 10) y 512 (la mejor).",
    ),
    "model.base": ("Pretrained base", "Base preentrenada"),
    "model.weights": ("Start from", "Empezar desde"),
    "model.weights_help": (
        "ImageNet weights know edges, textures and parts already (report B). Without internet "
        "they cannot be downloaded and the base starts from random weights.",
        "Los pesos de ImageNet ya conocen bordes, texturas y partes (informe B). Sin internet "
        "no se pueden descargar y la base empieza con pesos aleatorios.",
    ),
    "weights.imagenet": ("ImageNet weights", "pesos de ImageNet"),
    "weights.None": ("random weights", "pesos aleatorios"),
    "model.head": ("Dense layers of the new head", "Capas densas de la nueva cabeza"),
    "model.head_help": ("Comma-separated sizes, e.g. 256, 128.",
                        "Tamaños separados por comas, p. ej. 256, 128."),
    "model.head_invalid": ("Write whole numbers separated by commas.",
                           "Escribe números enteros separados por comas."),
    "model.fine_tune_layers": ("Layers to fine-tune", "Capas a ajustar"),
    "model.fine_tune_help": (
        "After training the head, unfreeze this many top layers of the base and train again with "
        "a small learning rate (phase two).",
        "Tras entrenar la cabeza, descongela este número de capas superiores de la base y "
        "entrena de nuevo con una tasa pequeña (fase dos).",
    ),
    "model.dropout_override": ("Change the dropout rate", "Cambiar la tasa de dropout"),
    "model.dropout_help": (
        "Dropout switches off a random share of units while training, which fights "
        "overfitting (reports A and D).",
        "El dropout apaga al azar una parte de las neuronas al entrenar, lo que combate el "
        "sobreajuste (informes A y D).",
    ),
    "model.dropout": ("Dropout rate", "Tasa de dropout"),
    "model.blocks": ("Your network, block by block", "Tu red, bloque a bloque"),
    "model.start_from": ("Start from a report's network", "Partir de la red de un informe"),
    "model.building": ("Building the network...", "Construyendo la red..."),
    "model.parameters": ("Parameters", "Parámetros"),
    "model.trainable": ("Trainable parameters", "Parámetros entrenables"),
    "model.shapes": ("How the feature map shrinks and deepens",
                     "Cómo el mapa de características se reduce y se hace más profundo"),
    "model.shapes_help": (
        "Bars: height and width of each layer's output. Line: its channels (log scale).",
        "Barras: alto y ancho de la salida de cada capa. Línea: sus canales (escala log).",
    ),
    "model.height": ("height", "alto"),
    "model.width": ("width", "ancho"),
    "model.channels": ("channels", "canales"),
    "model.pixels": ("pixels", "píxeles"),
    "model.layers": ("Layers", "Capas"),
    "layer.name": ("Name", "Nombre"),
    "layer.type": ("Type", "Tipo"),
    "layer.output_shape": ("Output shape", "Forma de salida"),
    "layer.parameters": ("Parameters", "Parámetros"),
    "layer.trainable_parameters": ("Trainable", "Entrenables"),
    "block.kind": ("Block", "Bloque"),
    "block.filters": ("Filters", "Filtros"),
    "block.kernel_size": ("Kernel", "Núcleo"),
    "block.strides": ("Stride", "Paso"),
    "block.padding": ("Padding", "Relleno"),
    "block.activation": ("Activation", "Activación"),
    "block.pool_type": ("Pooling", "Agrupación"),
    "block.pool_size": ("Pool size", "Tamaño de agrupación"),
    "block.rate": ("Dropout rate", "Tasa de dropout"),
    "block.units": ("Units", "Neuronas"),
    # Architectures
    "arch.mlp.title": ("MLP (one hidden layer)", "MLP (una capa oculta)"),
    "arch.mlp.about": (
        "Flattens the image and uses one hidden layer: the baseline every CNN must beat.",
        "Aplana la imagen y usa una capa oculta: la referencia que toda CNN debe superar.",
    ),
    "arch.fashion_cnn.title": ("Fashion-MNIST CNN", "CNN de Fashion-MNIST"),
    "arch.fashion_cnn.about": (
        "Two convolutions with pooling, then dense layers of 600 and 120 with dropout 0.25.",
        "Dos convoluciones con agrupación y luego capas densas de 600 y 120 con dropout 0,25.",
    ),
    "arch.art_cnn.title": ("Art CNN (final)", "CNN de arte (final)"),
    "arch.art_cnn.about": (
        "Five 3x3 convolutions in three stages with pooling and dropout; 1,459,204 parameters "
        "on 64x64 colour images (87% on art images).",
        "Cinco convoluciones 3x3 en tres etapas con agrupación y dropout; 1.459.204 parámetros "
        "con imágenes en color de 64x64 (87% con imágenes de arte).",
    ),
    "arch.art_cnn_small.title": ("Art CNN, first attempt", "CNN de arte, primer intento"),
    "arch.art_cnn_small.about": (
        "Two convolutions and two dense layers: it overfits (below 80%).",
        "Dos convoluciones y dos capas densas: sobreajusta (menos del 80%).",
    ),
    "arch.art_cnn_five.title": ("Art CNN, five convolutions", "CNN de arte, cinco convoluciones"),
    "arch.art_cnn_five.about": (
        "Five convolutions with decreasing filters (84%).",
        "Cinco convoluciones con filtros decrecientes (84%).",
    ),
    "arch.simple_bn_cnn.title": ("Simple CNN with batch norm", "CNN simple con batch norm"),
    "arch.simple_bn_cnn.about": (
        "Three convolutions, each with batch normalisation and ReLU (46% on 250 sketch classes).",
        "Tres convoluciones, cada una con normalización por lotes y ReLU (46% con 250 clases de "
        "bocetos).",
    ),
    "arch.resnet18.title": ("ResNet-18", "ResNet-18"),
    "arch.resnet18.about": (
        "Residual blocks [2, 2, 2, 2] with 64 to 512 filters, built by hand; outputs logits "
        "(58% on 250 sketch classes).",
        "Bloques residuales [2, 2, 2, 2] de 64 a 512 filtros, construida a mano; da logits (58% "
        "con 250 clases de bocetos).",
    ),
    "arch.attribute_cnn.title": ("Face attribute CNN", "CNN de atributos faciales"),
    "arch.attribute_cnn.about": (
        "Four 2x2 convolutions with pooling and three sigmoid dense layers for one binary "
        "attribute (623,490 parameters on 218x178 faces).",
        "Cuatro convoluciones 2x2 con agrupación y tres capas densas sigmoides para un atributo "
        "binario (623.490 parámetros con caras de 218x178).",
    ),
    "arch.transfer.title": ("Transfer learning", "Aprendizaje por transferencia"),
    "arch.transfer.about": (
        "A network trained on ImageNet (VGG16, ResNet50, InceptionV3, MobileNetV2), frozen, with "
        "a new head; optionally its top layers are fine-tuned.",
        "Una red entrenada con ImageNet (VGG16, ResNet50, InceptionV3, MobileNetV2), congelada, "
        "con una cabeza nueva; opcionalmente se ajustan sus capas superiores.",
    ),
    "arch.builder.title": ("Your own network", "Tu propia red"),
    "arch.builder.about": (
        "Design a network block by block; shapes are checked before anything is built.",
        "Diseña una red bloque a bloque; las formas se comprueban antes de construir nada.",
    ),
    # Training page
    "train.title": ("Train", "Entrenar"),
    "train.chosen": ("The next run trains: {dataset}, {model}.",
                     "La próxima ejecución entrena: {dataset}, {model}."),
    "train.run_of": ("Dataset: {dataset}. Model: {model}.", "Datos: {dataset}. Modelo: {model}."),
    "train.settings": ("Hyper-parameters", "Hiperparámetros"),
    "train.preset": ("Preset", "Configuración predefinida"),
    "train.preset_help": ("Settings of the reports, or quick ones for a lesson.",
                          "Ajustes de los informes, o rápidos para una clase."),
    "train.optimizer": ("Optimizer", "Optimizador"),
    "train.optimizer_help": (
        "How the weights move downhill on the loss. Adam adapts the step of each weight and is "
        "a safe default; SGD with momentum is the classic.",
        "Cómo bajan los pesos por la pérdida. Adam adapta el paso de cada peso y es una buena "
        "opción por defecto; SGD con momento es el clásico.",
    ),
    "train.learning_rate": ("Learning rate", "Tasa de aprendizaje"),
    "train.learning_rate_help": (
        "The size of each step. Too large and the loss jumps or diverges; too small and "
        "training crawls (report D: 1e-3 learned in 5 epochs, 1e-5 needed 100).",
        "El tamaño de cada paso. Si es grande la pérdida salta o diverge; si es pequeña el "
        "entrenamiento se arrastra (informe D: 1e-3 aprendió en 5 épocas, 1e-5 necesitó 100).",
    ),
    "train.schedule": ("Learning-rate schedule", "Programa de la tasa"),
    "train.schedule_help": (
        "Lowering the rate as training goes on lets the network settle into a good minimum.",
        "Bajar la tasa a medida que avanza el entrenamiento deja que la red se asiente en un "
        "buen mínimo.",
    ),
    "schedule.constant": ("constant", "constante"),
    "schedule.exponential": ("exponential decay", "decaimiento exponencial"),
    "schedule.cosine": ("cosine decay", "decaimiento coseno"),
    "train.batch_size": ("Batch size", "Tamaño de lote"),
    "train.batch_size_help": (
        "Images per weight update. Larger batches give smoother but fewer steps per epoch and "
        "need more memory.",
        "Imágenes por actualización de pesos. Lotes grandes dan pasos más suaves pero menos por "
        "época y necesitan más memoria.",
    ),
    "train.epochs": ("Epochs", "Épocas"),
    "train.epochs_help": ("Passes over all training images.",
                          "Pasadas por todas las imágenes de entrenamiento."),
    "train.seed": ("Seed", "Semilla"),
    "train.seed_help": ("The same seed gives the same starting weights and order.",
                        "La misma semilla da los mismos pesos iniciales y el mismo orden."),
    "train.l1": ("L1 regularisation", "Regularización L1"),
    "train.l1_help": ("Pushes weights to exactly zero: a simpler network.",
                      "Empuja pesos a cero exacto: una red más sencilla."),
    "train.l2": ("L2 regularisation", "Regularización L2"),
    "train.l2_help": ("Keeps weights small, which fights overfitting.",
                      "Mantiene los pesos pequeños, lo que combate el sobreajuste."),
    "train.early_stopping": ("Early stopping", "Parada temprana"),
    "train.early_stopping_help": (
        "Stop when the validation loss has not improved for 5 epochs and keep the best weights.",
        "Parar cuando la pérdida de validación no mejora en 5 épocas y quedarse con los mejores "
        "pesos.",
    ),
    "train.reduce_on_plateau": ("Halve the rate on a plateau", "Reducir la tasa en una meseta"),
    "train.reduce_on_plateau_help": (
        "Halve the learning rate when the validation loss stalls for 2 epochs (report B). Needs "
        "a constant schedule.",
        "Reducir a la mitad la tasa cuando la pérdida de validación se estanca 2 épocas "
        "(informe B). Necesita un programa constante.",
    ),
    "train.start": ("Start training", "Empezar a entrenar"),
    "train.class_caps": (
        "Class mode: your run trains at most {epochs} epochs on images of at most {side}×{side} "
        "pixels and {per_class} images per class, so it ends in about a minute. Your code on "
        "the class board: **{code}**.",
        "Modo clase: tu ejecución entrena como mucho {epochs} épocas con imágenes de como "
        "mucho {side}×{side} píxeles y {per_class} imágenes por clase, para que acabe en un "
        "minuto. Tu código en el tablero de la clase: **{code}**."),
    "train.session_limit": (
        "You already have {limit} run(s) waiting or training, the most one session may have at "
        "once. Wait until one ends, or stop it in the list below, then press Start again.",
        "Ya tienes {limit} ejecución(es) en cola o entrenando, lo máximo que una sesión puede "
        "tener a la vez. Espera a que una acabe, o detenla en la lista de abajo, y vuelve a "
        "pulsar Empezar."),
    "train.queue_place": ("Place {position} in the queue: expected to start in about {wait}.",
                          "Puesto {position} en la cola: debería empezar en unos {wait}."),
    "train.start_busy": ("The current run is still training: wait for it or stop it first.",
                         "La ejecución actual sigue entrenando: espera o detenla antes."),
    "train.current": ("Current run", "Ejecución actual"),
    "train.no_run": ("This run no longer exists.", "Esta ejecución ya no existe."),
    "train.failed": ("The run failed.", "La ejecución falló."),
    "train.details": ("Technical details", "Detalles técnicos"),
    "train.progress": ("Epoch {epoch} of {epochs}, batch {batch} of {batches}",
                       "Época {epoch} de {epochs}, lote {batch} de {batches}"),
    "train.speed": ("Images per second", "Imágenes por segundo"),
    "train.stop": ("Stop", "Detener"),
    "train.hint": (
        "Lowest validation loss at epoch {epoch}; training minus validation accuracy now: {gap}.",
        "Menor pérdida de validación en la época {epoch}; exactitud de entrenamiento menos "
        "validación ahora: {gap}.",
    ),
    "train.overfitting": (
        "The validation loss has been rising while the training loss falls: the network is "
        "overfitting.",
        "La pérdida de validación sube mientras la de entrenamiento baja: la red está "
        "sobreajustando.",
    ),
    "train.finished": ("Test accuracy: {accuracy}", "Exactitud en test: {accuracy}"),
    "train.ray_node": ("Ray cluster: on node {node}", "Clúster Ray: en el nodo {node}"),
    "train.ray_waiting": ("waiting for a free node", "esperando un nodo libre"),
    "train.split_sizes": (
        "Images the model really used: {train} training, {validation} validation, {test} test.",
        "Imágenes que usó de verdad el modelo: {train} de entrenamiento, {validation} de "
        "validación, {test} de test.",
    ),
    "train.dropped": (
        "{count} images could not be decoded and were left out ({train} training, "
        "{validation} validation, {test} test): their files are damaged or truncated. Fix or "
        "remove them and train again.",
        "{count} imágenes no se pudieron decodificar y se dejaron fuera ({train} de "
        "entrenamiento, {validation} de validación, {test} de test): sus ficheros están dañados "
        "o truncados. Arréglalos o quítalos y vuelve a entrenar.",
    ),
    "train.dropped_list": ("Images left out", "Imágenes dejadas fuera"),
    "train.dropped_split": ("split", "partición"),
    "train.waiting_for_points": (
        "The loss and accuracy charts appear with the first trained batch.",
        "Las gráficas de pérdida y exactitud aparecen con el primer lote entrenado."),
    "train.smoothing": ("Smoothing", "Suavizado"),
    "train.smoothing_help": (
        "Averages the per-batch curve over the last batches, like TensorBoard's slider: 0 shows "
        "the raw values, 0.95 a very smooth line. The raw values stay faint behind.",
        "Promedia la curva por lote sobre los últimos lotes, como el control de TensorBoard: 0 "
        "muestra los valores tal cual, 0,95 una línea muy suave. Los valores sin suavizar "
        "quedan tenues detrás."),
    "train.log_scale": ("Log scale", "Escala logarítmica"),
    "train.log_scale_help": (
        "A logarithmic y axis: a loss that keeps falling by the same factor shows as a straight "
        "line, and the late, small improvements stay visible.",
        "Un eje y logarítmico: una pérdida que sigue bajando en la misma proporción se ve como "
        "una recta, y las mejoras pequeñas del final siguen visibles."),
    "chance.not_learnt": (
        "This network has not learnt yet: accuracy {accuracy} against {guessing} by guessing. "
        "Read its results as those of a network that guesses. The usual fixes: train for more "
        "epochs (this run: {epochs}), try a larger learning rate (this run: {rate}), or give it "
        "more images.",
        "Esta red aún no ha aprendido: exactitud {accuracy} frente a {guessing} adivinando. "
        "Lee sus resultados como los de una red que adivina. Lo habitual: entrenar más épocas "
        "(esta ejecución: {epochs}), probar una tasa de aprendizaje mayor (esta ejecución: "
        "{rate}) o darle más imágenes.",
    ),
    "train.runs": ("All runs", "Todas las ejecuciones"),
    "train.pick_run": ("Run", "Ejecución"),
    "train.open": ("Open", "Abrir"),
    "train.resume": ("Resume", "Reanudar"),
    "train.delete": ("Delete", "Borrar"),
    "curve.train": ("training", "entrenamiento"),
    "curve.validation": ("validation", "validación"),
    "curve.batches": ("training (per batch)", "entrenamiento (por lote)"),
    "curve.epoch": ("epoch", "época"),
    "curve.best": ("best", "mejor"),
    "curve.loss": ("loss", "pérdida"),
    "curve.auc": ("ROC AUC", "AUC ROC"),
    "curve.accuracy": ("accuracy", "exactitud"),
    "preset.quick": ("Quick: 6 epochs, cosine", "Rápido: 6 épocas, coseno"),
    "preset.fashion_best": ("Best for Fashion-MNIST (12 epochs, cosine)",
                            "La mejor para Fashion-MNIST (12 épocas, coseno)"),
    "preset.report_d_model_1": ("Report D, model 1: lr 1e-3, batch 64, 5 epochs",
                                "Informe D, modelo 1: tasa 1e-3, lote 64, 5 épocas"),
    "preset.report_d_model_2": ("Report D, model 2: lr 1e-5, batch 1000, 30 epochs",
                                "Informe D, modelo 2: tasa 1e-5, lote 1000, 30 épocas"),
    "preset.report_d_model_3": ("Report D, model 3: lr 1e-5, batch 1000, 100 epochs",
                                "Informe D, modelo 3: tasa 1e-5, lote 1000, 100 épocas"),
    "preset.report_d_mlp_2048": ("Report D, MLP 2048: lr 1e-3, batch 500, 100 epochs",
                                 "Informe D, MLP 2048: tasa 1e-3, lote 500, 100 épocas"),
    "preset.report_d_mlp_512": ("Report D, MLP 512: lr 1e-3, batch 1000, 40 epochs",
                                "Informe D, MLP 512: tasa 1e-3, lote 1000, 40 épocas"),
    "preset.report_a_art": ("Report A: batch 64, 30 epochs", "Informe A: lote 64, 30 épocas"),
    "preset.report_c_sketches": ("Report C: Adam, batch 64, 50 epochs",
                                 "Informe C: Adam, lote 64, 50 épocas"),
    "preset.report_e_attribute": ("Report E: RMSprop, batch 50, 15 epochs",
                                  "Informe E: RMSprop, lote 50, 15 épocas"),
    # Evaluation
    "nav.evaluation": ("Evaluation", "Evaluación"),
    "evaluation.title": ("Evaluation", "Evaluación"),
    "evaluation.no_run": ("No run is open: pick one in the sidebar or train one.",
                          "No hay ninguna ejecución abierta: elige una en la barra lateral o "
                          "entrena una."),
    "evaluation.no_results": ("Nothing to evaluate yet. {reason}",
                              "Aún no hay nada que evaluar. {reason}"),
    "evaluation.go_train": ("Go to training", "Ir a entrenar"),
    "evaluation.caption": ("Run {run}: {images} images of the {split} split.",
                           "Ejecución {run}: {images} imágenes de la partición {split}."),
    "evaluation.no_images": ("No images here.", "No hay imágenes aquí."),
    "evaluation.images_unavailable": ("The images cannot be shown: {reason}",
                                      "No se pueden mostrar las imágenes: {reason}"),
    "evaluation.tab_confusion": ("Confusion matrix", "Matriz de confusión"),
    "evaluation.tab_classes": ("Per class", "Por clase"),
    "evaluation.tab_metrics": ("Metrics", "Métricas"),
    "evaluation.tab_examples": ("Examples", "Ejemplos"),
    "evaluation.tab_history": ("Training history", "Historial de entrenamiento"),
    "evaluation.normalise": ("Show", "Mostrar"),
    "normalise.counts": ("images", "imágenes"),
    "normalise.recall": ("share of the true class", "fracción de la clase real"),
    "normalise.percent": ("% of all images", "% de todas las imágenes"),
    "evaluation.order": ("Class order", "Orden de las clases"),
    "order.natural": ("as in the dataset", "como en los datos"),
    "order.confusion": ("confused classes together", "clases confundidas juntas"),
    "evaluation.true": ("True class", "Clase real"),
    "evaluation.predicted": ("Predicted class", "Clase predicha"),
    "evaluation.images": ("images", "imágenes"),
    "evaluation.share": ("of the true class", "de la clase real"),
    "evaluation.click_hint": (
        "Click a cell of the matrix (or choose its two classes here) to see its test images. "
        "Drag to zoom, double-click to zoom out.",
        "Haz clic en una celda de la matriz (o elige aquí sus dos clases) para ver sus "
        "imágenes de test. Arrastra para ampliar y haz doble clic para volver."),
    "evaluation.cell": ("**{true}** predicted as **{predicted}**: **{images}** images",
                        "**{true}** predicha como **{predicted}**: **{images}** imágenes"),
    "column.class": ("class", "clase"),
    "column.test_images": ("test images", "imágenes de test"),
    "column.train_images": ("training images", "imágenes de entrenamiento"),
    "column.accuracy": ("accuracy", "exactitud"),
    "column.precision": ("precision", "precisión"),
    "column.recall": ("recall", "exhaustividad"),
    "column.f1": ("F1", "F1"),
    "evaluation.pairs": ("Most confused pairs", "Parejas más confundidas"),
    "pairs.true": ("true class", "clase real"),
    "pairs.predicted": ("predicted as", "predicha como"),
    "pairs.images": ("images", "imágenes"),
    "pairs.share": ("share of the true class", "fracción de la clase real"),
    "evaluation.best": ("{count} best classes", "Las {count} mejores clases"),
    "evaluation.worst": ("{count} worst classes", "Las {count} peores clases"),
    "evaluation.accuracy": ("accuracy", "exactitud"),
    "evaluation.class": ("class", "clase"),
    "evaluation.train_images": ("training images of the class",
                                "imágenes de entrenamiento de la clase"),
    "evaluation.against_data": ("Accuracy against the amount of training data",
                                "Exactitud frente a la cantidad de datos de entrenamiento"),
    "evaluation.balanced": (
        "Every class had about as many training images ({fewest} to {most}), so there is no "
        "chart of accuracy against the amount of training data: it would be one column of "
        "dots.",
        "Todas las clases tenían casi las mismas imágenes de entrenamiento ({fewest} a "
        "{most}), así que no hay gráfico de exactitud frente a la cantidad de datos: sería "
        "una sola columna de puntos."),
    "evaluation.metric_accuracy": ("Accuracy", "Exactitud"),
    "evaluation.top3": ("Top-3 accuracy", "Exactitud top-3"),
    "evaluation.top5": ("Top-5 accuracy", "Exactitud top-5"),
    "evaluation.auc": ("ROC AUC (one vs rest)", "AUC ROC (uno contra el resto)"),
    "evaluation.macro_precision": ("Precision (macro)", "Precisión (macro)"),
    "evaluation.macro_recall": ("Recall (macro)", "Exhaustividad (macro)"),
    "evaluation.macro_f1": ("F1 (macro)", "F1 (macro)"),
    "evaluation.weighted_f1": ("F1 (weighted)", "F1 (ponderada)"),
    "evaluation.binary": ("Attribute “{positive}” (report E's table)",
                          "Atributo «{positive}» (la tabla del informe E)"),
    "binary.accuracy": ("accuracy", "exactitud"),
    "binary.precision": ("precision", "precisión"),
    "binary.recall": ("recall", "exhaustividad"),
    "binary.f1": ("F1", "F1"),
    "evaluation.report": ("Per-class report", "Informe por clase"),
    "evaluation.download": ("Download as CSV", "Descargar como CSV"),
    "evaluation.roc": ("ROC curves", "Curvas ROC"),
    "evaluation.roc_classes": ("Classes", "Clases"),
    "evaluation.fpr": ("false positive rate", "tasa de falsos positivos"),
    "evaluation.tpr": ("true positive rate", "tasa de verdaderos positivos"),
    "evaluation.chance": ("chance", "azar"),
    "evaluation.example_kind": ("Show", "Mostrar"),
    "examples.confident_mistakes": ("confident mistakes", "errores con seguridad"),
    "examples.confident_mistakes_help": (
        "Wrong answers given with the highest probability: often look-alike classes or a "
        "wrong label in the data.",
        "Respuestas erróneas dadas con la mayor probabilidad: a menudo clases parecidas o una "
        "etiqueta equivocada en los datos."),
    "examples.unsure_correct": ("unsure but right", "acertadas con dudas"),
    "examples.unsure_correct_help": (
        "Right answers given with the lowest probability: the images near a decision boundary.",
        "Respuestas correctas dadas con la menor probabilidad: las imágenes cerca de una "
        "frontera de decisión."),
    "examples.typical_correct": ("typical of each class", "típicas de cada clase"),
    "examples.typical_correct_help": (
        "The images each class recognises most surely: what the network thinks the class "
        "looks like.",
        "Las imágenes que cada clase reconoce con más seguridad: cómo cree la red que es la "
        "clase."),
    "evaluation.export_link": ("Export this run (TensorBoard, models, archive)",
                               "Exportar esta ejecución (TensorBoard, modelos, archivo)"),
    # Export and import
    "nav.export": ("Export", "Exportar"),
    "export.title": ("Export and import runs", "Exportar e importar ejecuciones"),
    "export.caption": (
        "Take a finished run to the tools the field uses, or hand it to another machine as one "
        "ZIP.",
        "Lleva una ejecución terminada a las herramientas de siempre, o pásala a otra máquina "
        "en un solo ZIP."),
    "export.run": ("Run {run}", "Ejecución {run}"),
    "export.no_run": ("No run is open: pick one in the sidebar to export it.",
                      "No hay ninguna ejecución abierta: elige una en la barra lateral para "
                      "exportarla."),
    "export.not_exportable": ("This run cannot be exported yet. {reason}",
                              "Esta ejecución aún no se puede exportar. {reason}"),
    "export.archive": ("Run archive (ZIP)", "Archivo de la ejecución (ZIP)"),
    "export.archive_help": (
        "Settings, metrics, best model and test results in one ZIP; import it below on any "
        "machine.",
        "Ajustes, métricas, mejor modelo y resultados de test en un ZIP; impórtalo abajo en "
        "cualquier máquina."),
    "export.tensorboard": ("TensorBoard log", "Registro de TensorBoard"),
    "export.tensorboard_help": (
        "Curves per batch and epoch, GAN grids, the confusion matrix and the embedding for the "
        "Projector. Unzip it, then run `tensorboard --logdir FOLDER`.",
        "Curvas por lote y época, rejillas de la GAN, la matriz de confusión y el embedding "
        "para el Projector. Descomprímelo y ejecuta `tensorboard --logdir CARPETA`."),
    "export.keras": ("Keras model (.keras)", "Modelo Keras (.keras)"),
    "export.keras_help": ("Opens with `keras.saving.load_model`.",
                          "Se abre con `keras.saving.load_model`."),
    "export.savedmodel": ("TensorFlow SavedModel (ZIP)", "SavedModel de TensorFlow (ZIP)"),
    "export.savedmodel_help": ("For TensorFlow Serving and `tf.saved_model.load`.",
                               "Para TensorFlow Serving y `tf.saved_model.load`."),
    "export.tflite": ("TensorFlow Lite (.tflite)", "TensorFlow Lite (.tflite)"),
    "export.tflite_help": ("For phones and small devices.",
                           "Para móviles y dispositivos pequeños."),
    "export.onnx": ("ONNX (.onnx)", "ONNX (.onnx)"),
    "export.onnx_help": ("For ONNX Runtime and most other frameworks.",
                         "Para ONNX Runtime y la mayoría de los demás frameworks."),
    "export.inputs": (
        "The models take float32 pixel values 0-255 shaped (batch, height, width, channels), "
        "like the training images; a GAN run exports its generator.",
        "Los modelos reciben píxeles float32 de 0 a 255 con forma (lote, alto, ancho, canales), "
        "como las imágenes de entrenamiento; una GAN exporta su generador."),
    "export.prepare": ("Prepare", "Preparar"),
    "export.preparing": ("Preparing the {export}…", "Preparando: {export}…"),
    "export.download": ("Download", "Descargar"),
    "export.cannot": ("Not available for this model: {reason}",
                      "No disponible para este modelo: {reason}"),
    "export.failed": ("The export did not work: {reason}", "La exportación no funcionó: {reason}"),
    "export.notes": ("Left out: {notes}", "Se ha dejado fuera: {notes}"),
    "export.import_title": ("Import a run", "Importar una ejecución"),
    "export.import_upload": ("A run archive (ZIP) exported by cnnviz",
                             "Un archivo de ejecución (ZIP) exportado por cnnviz"),
    "export.import_help": (
        "The archive is checked before anything is written: unsafe files, settings this "
        "version cannot use and models that hold code are refused.",
        "El archivo se comprueba antes de escribir nada: se rechazan ficheros peligrosos, "
        "ajustes que esta versión no puede usar y modelos que contienen código."),
    "export.import_button": ("Import", "Importar"),
    "export.imported": ("Run {run} imported; it is now open in every page.",
                        "Ejecución {run} importada; ya está abierta en todas las páginas."),
    "export.error.unsafe": ("This ZIP is refused because it is unsafe: {reason}",
                            "Este ZIP se rechaza por ser peligroso: {reason}"),
    "export.error.not_a_run": ("This ZIP is not a finished cnnviz run: {reason}",
                               "Este ZIP no es una ejecución terminada de cnnviz: {reason}"),
    "export.error.config": ("The run's settings (config.json) cannot be used: {reason}",
                            "Los ajustes de la ejecución (config.json) no se pueden usar: "
                            "{reason}"),
    "export.error.model": ("The run's model or results cannot be loaded safely: {reason}",
                           "El modelo o los resultados de la ejecución no se pueden cargar con "
                           "seguridad: {reason}"),
    "export.error.exists": ("This run is already here. Delete it first to import it again. "
                            "({reason})",
                            "Esta ejecución ya está aquí. Bórrala antes de importarla de nuevo. "
                            "({reason})"),
    "export.error.other": ("This ZIP cannot be imported: {reason}",
                           "Este ZIP no se puede importar: {reason}"),
    # Compare
    "nav.compare": ("Compare", "Comparar"),
    "compare.title": ("Compare runs", "Comparar ejecuciones"),
    "compare.need_two": ("Choose at least two runs to compare (train a second one first if "
                         "needed).",
                         "Elige al menos dos ejecuciones para comparar (entrena antes una "
                         "segunda si hace falta)."),
    "compare.runs": ("Runs", "Ejecuciones"),
    "compare.metric": ("Curve", "Curva"),
    "compare.table": ("Settings and results", "Configuración y resultados"),
    "compare.only_differences": ("Only what differs", "Solo lo que cambia"),
    "compare.legend": ("Highlighted rows differ between the runs; result rows come from the "
                       "test split.",
                       "Las filas resaltadas cambian entre ejecuciones; las filas de resultados "
                       "vienen de la partición de test."),
    "setting.yes": ("yes", "sí"),
    "setting.no": ("no", "no"),
    "setting.dataset.source": ("Data source", "Fuente de datos"),
    "setting.dataset.path": ("Data path", "Ruta de los datos"),
    "setting.dataset.shapes_per_class": ("Shapes per class", "Formas por clase"),
    "setting.dataset.attribute": ("Face attribute", "Atributo de la cara"),
    "setting.dataset.attribute_file": ("Attribute file", "Fichero de atributos"),
    "setting.dataset.image_folder": ("Image folder", "Carpeta de imágenes"),
    "setting.dataset.partition_file": ("Partition file", "Fichero de particiones"),
    "setting.dataset.attribute_split_sizes": ("Train/validation/test images (CelebA)",
                                              "Imágenes de entrenamiento/validación/test (CelebA)"),
    "setting.dataset.image_size": ("Image size", "Tamaño de imagen"),
    "setting.dataset.channels": ("Channels", "Canales"),
    "setting.dataset.resize_mode": ("Resize mode", "Modo de redimensionado"),
    "setting.dataset.merge": ("Merged classes", "Clases fusionadas"),
    "setting.dataset.classes": ("Classes kept", "Clases conservadas"),
    "setting.dataset.max_per_class": ("Images per class at most", "Máximo de imágenes por clase"),
    "setting.dataset.validation_fraction": ("Validation share", "Parte de validación"),
    "setting.dataset.test_fraction": ("Test share", "Parte de test"),
    "setting.dataset.seed": ("Data seed", "Semilla de los datos"),
    "setting.dataset.balancing": ("Class balancing", "Equilibrado de clases"),
    "setting.dataset.augmentation.flip": ("Augmentation: flip", "Aumento: volteo"),
    "setting.dataset.augmentation.rotation": ("Augmentation: rotation", "Aumento: rotación"),
    "setting.dataset.augmentation.translation": ("Augmentation: shift", "Aumento: desplazamiento"),
    "setting.dataset.augmentation.zoom": ("Augmentation: zoom", "Aumento: zoom"),
    "setting.dataset.augmentation.contrast": ("Augmentation: contrast", "Aumento: contraste"),
    "setting.dataset.storage": ("Data storage", "Almacenamiento de los datos"),
    "setting.model.architecture": ("Network", "Red"),
    "setting.model.hidden_units": ("Hidden units (MLP)", "Neuronas ocultas (MLP)"),
    "setting.model.dropout_rate": ("Dropout", "Dropout"),
    "setting.model.base": ("Pre-trained base", "Base preentrenada"),
    "setting.model.weights": ("Base weights", "Pesos de la base"),
    "setting.model.head_units": ("Head layers", "Capas de la cabeza"),
    "setting.model.fine_tune_layers": ("Layers fine-tuned", "Capas ajustadas"),
    "setting.model.blocks": ("Blocks (builder)", "Bloques (constructor)"),
    "setting.model.latent_dim": ("Noise dimensions (GAN)", "Dimensiones del ruido (GAN)"),
    "setting.model.gan_widths": ("Generator widths (GAN)", "Anchuras del generador (GAN)"),
    "setting.model.gan_class": ("Class imitated (GAN)", "Clase imitada (GAN)"),
    "setting.training.optimizer": ("Optimizer", "Optimizador"),
    "setting.training.learning_rate": ("Learning rate", "Tasa de aprendizaje"),
    "setting.training.momentum": ("Momentum (SGD)", "Momento (SGD)"),
    "setting.training.batch_size": ("Batch size", "Tamaño de lote"),
    "setting.training.epochs": ("Epochs", "Épocas"),
    "setting.training.l1": ("L1 regularisation", "Regularización L1"),
    "setting.training.l2": ("L2 regularisation", "Regularización L2"),
    "setting.training.schedule": ("Learning-rate schedule", "Programa de la tasa de aprendizaje"),
    "setting.training.decay_rate": ("Decay rate", "Tasa de decaimiento"),
    "setting.training.reduce_on_plateau": ("Lower the rate on a plateau",
                                           "Bajar la tasa en una meseta"),
    "setting.training.plateau_factor": ("Plateau factor", "Factor de meseta"),
    "setting.training.plateau_patience": ("Plateau patience (epochs)",
                                          "Paciencia de meseta (épocas)"),
    "setting.training.early_stopping": ("Early stopping", "Parada temprana"),
    "setting.training.early_stopping_patience": ("Early-stopping patience (epochs)",
                                                 "Paciencia de la parada temprana (épocas)"),
    "setting.training.fine_tune_epochs": ("Fine-tuning epochs", "Épocas de ajuste fino"),
    "setting.training.fine_tune_learning_rate": ("Fine-tuning learning rate",
                                                 "Tasa de aprendizaje del ajuste fino"),
    "setting.training.seed": ("Training seed", "Semilla del entrenamiento"),
    "setting.training.mixed_precision": ("Mixed precision", "Precisión mixta"),
    "setting.training.distribution": ("Distribution", "Distribución"),
    "setting.training.log_every_batches": ("Logged every … batches", "Registro cada … lotes"),
    "setting.result.accuracy": ("Test accuracy", "Exactitud en test"),
    "setting.result.top3_accuracy": ("Top-3 accuracy", "Exactitud top-3"),
    "setting.result.macro_f1": ("Macro F1", "F1 macro"),
    "setting.result.roc_auc": ("ROC AUC", "AUC ROC"),
    "setting.result.best_epoch": ("Best epoch", "Mejor época"),
    "setting.result.epochs_trained": ("Epochs trained", "Épocas entrenadas"),
    "setting.result.seconds": ("Training time (s)", "Tiempo de entrenamiento (s)"),
    # Embedding
    "nav.embedding": ("Embedding", "Embedding"),
    "embedding.title": ("What the network learned (t-SNE)", "Lo que aprendió la red (t-SNE)"),
    "embedding.caption": (
        "Each point is a test image placed by t-SNE so that images the network finds similar "
        "(in its last hidden layer) sit close together. Clusters are classes it separates; "
        "mixed regions are where it hesitates.",
        "Cada punto es una imagen de test colocada por t-SNE de modo que las imágenes que la "
        "red ve parecidas (en su última capa oculta) quedan juntas. Los grupos son clases que "
        "separa; las zonas mezcladas son donde duda."),
    "embedding.points": ("Images on the map", "Imágenes en el mapa"),
    "embedding.colour": ("Colour by", "Color según"),
    "colour.true": ("true class", "clase real"),
    "colour.predicted": ("predicted class", "clase predicha"),
    "colour.correct": ("right or wrong", "acierto o error"),
    "colour.right": ("right", "acierto"),
    "colour.wrong": ("wrong", "error"),
    "embedding.pixels": ("Compare with raw pixels", "Comparar con píxeles"),
    "embedding.computing": ("Computing the t-SNE map of {points} images…",
                            "Calculando el mapa t-SNE de {points} imágenes…"),
    "embedding.failed": ("The map cannot be drawn: {reason}",
                         "No se puede dibujar el mapa: {reason}"),
    "embedding.pixels_title": ("**Before learning**: raw pixels",
                               "**Antes de aprender**: píxeles"),
    "embedding.features_title": ("**After learning**: the network's features",
                                 "**Después de aprender**: las características de la red"),
    "embedding.select_hint": (
        "Draw a lasso or a box around points (or click one) to see their images.",
        "Dibuja un lazo o un rectángulo alrededor de los puntos (o haz clic en uno) para ver "
        "sus imágenes."),
    "embedding.place": ("Place your own image on the map", "Coloca tu propia imagen en el mapa"),
    "embedding.upload": ("An image (it is prepared like the training images)",
                         "Una imagen (se prepara como las de entrenamiento)"),
    "embedding.placing": ("Running the network on your image…",
                          "Pasando tu imagen por la red…"),
    "embedding.place_failed": ("Your image cannot be placed: {reason}",
                               "No se puede colocar tu imagen: {reason}"),
    "embedding.placed": ("The network says: {prediction}. The star shows where it lands.",
                         "La red dice: {prediction}. La estrella muestra dónde cae."),
    "embedding.your_image": ("your image", "tu imagen"),
    "embedding.selected": ("**{images}** images selected, **{errors}** of them misclassified.",
                           "**{images}** imágenes seleccionadas, **{errors}** mal clasificadas."),
    "embedding.hover": ("Images on hover", "Imágenes al pasar el ratón"),
    "embedding.hover_help": (
        "Hover a point to see its image, true and predicted class. Switch off to select "
        "points with the lasso.",
        "Pasa el ratón por un punto para ver su imagen, su clase real y la predicha. "
        "Desactívalo para seleccionar puntos con el lazo.",
    ),
    "embedding.hover_capped": ("With images on hover the map shows at most {points} points.",
                               "Con imágenes al pasar el ratón el mapa muestra como mucho "
                               "{points} puntos."),
    "embedding.hover_hint": ("Hover a point to see its image. Switch off “Images on hover” to "
                             "select points with the lasso or a box.",
                             "Pasa el ratón por un punto para ver su imagen. Desactiva "
                             "«Imágenes al pasar el ratón» para seleccionar con el lazo o un "
                             "recuadro."),
    # Look inside
    "nav.inside": ("Look inside", "Mirar dentro"),
    "inside.title": ("Look inside the network", "Mirar dentro de la red"),
    "inside.caption": (
        "Give the current run's network an image and follow it through the layers: what it "
        "predicts, what each layer sees, and where in the image the evidence lies.",
        "Dale una imagen a la red de la ejecución actual y síguela capa a capa: qué predice, "
        "qué ve cada capa y en qué parte de la imagen está la evidencia.",
    ),
    "inside.loading": ("Loading the network…", "Cargando la red…"),
    "inside.no_model": ("Nothing to look inside yet: {reason}",
                        "Aún no hay nada que mirar: {reason}"),
    "inside.source": ("Image", "Imagen"),
    "inside.source_upload": ("Upload", "Subir"),
    "inside.source_camera": ("Camera", "Cámara"),
    "inside.source_live": ("Live camera", "Cámara en vivo"),
    "inside.source_draw": ("Draw", "Dibujar"),
    "inside.source_test": ("Test set", "Conjunto de test"),
    "inside.upload": ("An image file (jpg, png, webp, bmp…)",
                      "Un archivo de imagen (jpg, png, webp, bmp…)"),
    "inside.camera": ("Take a photo", "Haz una foto"),
    "live.caption": (
        "Every frame of your camera goes through the network: its three best guesses and the "
        "Grad-CAM map of the first are drawn over the video, as fast as this server can.",
        "Cada imagen de tu cámara pasa por la red: sus tres mejores respuestas y el mapa "
        "Grad-CAM de la primera se dibujan sobre el vídeo, tan rápido como puede este servidor.",
    ),
    "live.start": ("Start", "Empezar"),
    "live.stop": ("Stop", "Parar"),
    "live.select_device": ("Choose camera", "Elegir cámara"),
    "live.permission": ("Allow the browser to use the camera.",
                        "Permite que el navegador use la cámara."),
    "live.no_camera": ("No camera was found on this device.",
                       "No se encontró ninguna cámara en este dispositivo."),
    "live.denied": ("The browser was not allowed to use the camera.",
                    "El navegador no tiene permiso para usar la cámara."),
    "live.no_media": ("This browser cannot send video (open the app over https or on this "
                      "computer).",
                      "Este navegador no puede enviar vídeo (abre la aplicación por https o en "
                      "este ordenador)."),
    "live.press_start": ("Press Start to send your camera's video to the network.",
                         "Pulsa Empezar para enviar el vídeo de tu cámara a la red."),
    "live.connecting": ("Connecting to the camera…", "Conectando con la cámara…"),
    "live.rate": ("**{rate}** frames per second on this server. Now: {top}",
                  "**{rate}** imágenes por segundo en este servidor. Ahora: {top}"),
    "inside.draw_hint": ("Draw in the box; the network sees it shrunk to the training size.",
                         "Dibuja en el recuadro; la red lo ve reducido al tamaño de "
                         "entrenamiento."),
    "inside.brush": ("Brush width", "Grosor del pincel"),
    "inside.bad_image": ("This file cannot be used: {reason}",
                         "Este archivo no se puede usar: {reason}"),
    "inside.waiting": ("Choose an image above: upload one, take a photo, draw, or pick one of "
                       "the test set.",
                       "Elige una imagen arriba: súbela, haz una foto, dibuja o toma una del "
                       "conjunto de test."),
    "inside.no_test": ("The test images are not available: {reason}",
                       "Las imágenes de test no están disponibles: {reason}"),
    "inside.only_mistakes": ("Only mistakes", "Solo errores"),
    "inside.no_mistakes": ("The network got every test image right.",
                           "La red acertó todas las imágenes de test."),
    "inside.test_number": ("Image number (of {count})", "Número de imagen (de {count})"),
    "inside.true_class": ("True class: **{name}**", "Clase real: **{name}**"),
    "inside.seen": ("As the network sees it: {height}×{width}, {channels} channel(s)",
                    "Como la ve la red: {height}×{width}, {channels} canal(es)"),
    "inside.prediction": ("The network says **{name}** ({probability}).",
                          "La red dice **{name}** ({probability})."),
    "inside.probability": ("Probability", "Probabilidad"),
    "inside.unsure": ("The network is unsure: no class reaches 50%. The image may be unlike "
                      "anything it was trained on.",
                      "La red no está segura: ninguna clase llega al 50%. Quizá la imagen no se "
                      "parece a nada de lo que vio al entrenar."),
    "inside.tab_maps": ("Feature maps", "Mapas de activación"),
    "inside.tab_strip": ("Layer by layer", "Capa a capa"),
    "inside.tab_filters": ("Filters", "Filtros"),
    "inside.tab_cam": ("Grad-CAM", "Grad-CAM"),
    "inside.tab_occlusion": ("Occlusion", "Oclusión"),
    "inside.tab_edit": ("Edited copy", "Copia modificada"),
    "inside.tab_features": ("What filters look for", "Qué buscan los filtros"),
    "inside.tab_classes": ("What classes look like", "Cómo ve cada clase"),
    "inside.tab_attribution": ("Attribution", "Atribución"),
    "inside.layer": ("Layer", "Capa"),
    "inside.shared_scale": ("One scale for the layer", "Una escala para la capa"),
    "inside.shared_scale_help": (
        "On: strengths can be compared between maps. Off: each map uses its own range, so "
        "weak patterns are visible too.",
        "Activado: se pueden comparar intensidades entre mapas. Desactivado: cada mapa usa su "
        "propio rango y también se ven los patrones débiles.",
    ),
    "inside.channels_shown": ("Maps shown (most active first)",
                              "Mapas mostrados (los más activos primero)"),
    "inside.tiles": ("{layer}: the {shown} most active maps, brightest = strongest",
                     "{layer}: los {shown} mapas más activos; más claro = más fuerte"),
    "inside.zero_maps": (
        "{count} of these {shown} maps are black: every value is 0 for this image. A ReLU turns "
        "every negative sum into 0, so these filters found nothing of their pattern here. A "
        "filter that stays at 0 for every image is a “dead ReLU”: it no longer learns.",
        "{count} de estos {shown} mapas son negros: todos sus valores son 0 para esta imagen. "
        "Una ReLU convierte en 0 toda suma negativa, así que estos filtros no encontraron aquí "
        "nada de su patrón. Un filtro que se queda en 0 con todas las imágenes es una «ReLU "
        "muerta»: ya no aprende."),
    "inside.enlarge": ("Enlarge a map", "Ampliar un mapa"),
    "inside.channel": ("map {number}", "mapa {number}"),
    "inside.strip_caption": (
        "The most active map of every layer, in order: early layers respond to edges and "
        "colours, later ones to larger parts.",
        "El mapa más activo de cada capa, en orden: las primeras capas responden a bordes y "
        "colores, las últimas a partes más grandes.",
    ),
    "inside.no_maps": ("This network has no layer that keeps the image's layout (a "
                       "multilayer perceptron flattens it first), so there are no maps to "
                       "show. Occlusion works for any network.",
                       "Esta red no tiene capas que conserven la forma de la imagen (un "
                       "perceptrón multicapa la aplana primero), así que no hay mapas que "
                       "mostrar. La oclusión funciona con cualquier red."),
    "inside.no_filters": ("This network has no convolution to show (a multilayer "
                          "perceptron looks at whole images at once).",
                          "Esta red no tiene convoluciones que mostrar (un perceptrón "
                          "multicapa mira la imagen entera de una vez)."),
    "inside.filters_caption": ("The {count} filters of {layer}, {size} pixels each, as "
                               "images (grey = 0).",
                               "Los {count} filtros de {layer}, de {size} píxeles cada uno, como "
                               "imágenes (gris = 0)."),
    "inside.filter": ("filter {number}", "filtro {number}"),
    "timeline.title": ("Maps that grew during training", "Mapas que crecieron al entrenar"),
    "timeline.caption": (
        "After every epoch the training kept what each convolution made of one fixed image per "
        "class, and the first filters. Slide through the epochs to watch them form.",
        "Tras cada época, el entrenamiento guardó lo que cada convolución hizo con una imagen "
        "fija de cada clase, y los primeros filtros. Recorre las épocas para verlos formarse.",
    ),
    "timeline.play": ("Play the epochs", "Reproducir las épocas"),
    "timeline.probe": ("Image of the class", "Imagen de la clase"),
    "timeline.epoch": ("Epoch", "Época"),
    "timeline.epoch_label": ("epoch {number}", "época {number}"),
    "timeline.showing": ("After epoch **{epoch}** (of {last} so far).",
                         "Tras la época **{epoch}** (de {last} hasta ahora)."),
    "timeline.untrained": ("Before training (**epoch 0**): the network's random start.",
                           "Antes de entrenar (**época 0**): el punto de partida aleatorio de "
                           "la red."),
    "timeline.probe_caption": ("The fixed image of {name}", "La imagen fija de {name}"),
    "timeline.maps_caption": ("{layer} · {kind}: its first {shown} of {channels} maps, each on "
                              "its own scale",
                              "{layer} · {kind}: sus primeros {shown} de {channels} mapas, cada "
                              "uno en su propia escala"),
    "timeline.filters_caption": ("The {count} filters of {layer} at this epoch (grey = 0)",
                                 "Los {count} filtros de {layer} en esta época (gris = 0)"),
    "timeline.waiting": ("The maps appear here as soon as the run starts training.",
                         "Los mapas aparecen aquí en cuanto la ejecución empiece a entrenar."),
    "timeline.none": ("This run was trained before cnnviz recorded maps during training, so "
                      "it has no timeline. A new run has one.",
                      "Esta ejecución se entrenó antes de que cnnviz guardara mapas durante el "
                      "entrenamiento, así que no tiene línea temporal. Una nueva la tendrá."),
    "timeline.no_conv": ("This network has no convolution (a multilayer perceptron), so no "
                         "maps were recorded during training.",
                         "Esta red no tiene convoluciones (un perceptrón multicapa), así que no "
                         "se guardaron mapas durante el entrenamiento."),
    "inside.cam_caption": (
        "Grad-CAM weighs the maps of {layer} by how much they raise the chosen class: red "
        "areas speak for it.",
        "Grad-CAM pondera los mapas de {layer} según cuánto aumentan la clase elegida: las "
        "zonas rojas hablan a su favor.",
    ),
    "inside.cam_class": ("Class", "Clase"),
    "inside.opacity": ("Overlay opacity", "Opacidad de la superposición"),
    "inside.cam_overlay": ("Evidence for {name}", "Evidencia de {name}"),
    "inside.cam_raw": ("Grad-CAM map", "Mapa Grad-CAM"),
    "inside.cam_empty": ("Nothing in this image speaks for {name}.",
                         "Nada en esta imagen habla a favor de {name}."),
    "inside.occlusion_caption": (
        "A grey square slides over the image; the map shows how much the probability of the "
        "class drops with the square at each place (red: the evidence is there).",
        "Un cuadrado gris recorre la imagen; el mapa muestra cuánto baja la probabilidad de la "
        "clase con el cuadrado en cada lugar (rojo: ahí está la evidencia).",
    ),
    "inside.patch": ("Square size (pixels)", "Tamaño del cuadrado (píxeles)"),
    "inside.stride": ("Step (pixels)", "Paso (píxeles)"),
    "inside.occluding": ("Covering the image piece by piece…",
                         "Tapando la imagen trozo a trozo…"),
    "inside.occlusion_overlay": ("Where covering hurts {name}",
                                 "Dónde taparla perjudica a {name}"),
    "inside.occlusion_raw": ("Probability drop", "Caída de la probabilidad"),
    "inside.features_caption": (
        "For each filter, the input that excites it most, found by gradient ascent from "
        "noise (each step shifts, turns and rescales the image a little and blurs it now and "
        "then, so the pattern stays readable), and the test images that excite it most: red "
        "marks where the filter fired.",
        "Para cada filtro, la entrada que más lo activa, hallada por ascenso de gradiente a "
        "partir de ruido (cada paso desplaza, gira y escala un poco la imagen y de vez en "
        "cuando la desenfoca, para que el patrón se pueda leer), y las imágenes de test que "
        "más lo activan: el rojo marca dónde se activó el filtro.",
    ),
    "inside.features_count": ("Filters shown (the first ones)",
                              "Filtros mostrados (los primeros)"),
    "inside.features_compute": ("Find what they look for", "Buscar qué buscan"),
    "inside.features_working": ("Climbing the gradient from noise…",
                                "Subiendo por el gradiente desde el ruido…"),
    "inside.features_failed": ("The pictures could not be computed: {reason}",
                               "No se pudieron calcular las imágenes: {reason}"),
    "inside.features_no_examples": ("No test images to show beside the filters: {reason}",
                                    "No hay imágenes de test que mostrar junto a los filtros: "
                                    "{reason}"),
    "inside.features_pattern": ("filter {number}: what excites it most",
                                "filtro {number}: lo que más lo activa"),
    "inside.features_examples": ("filter {number}: the {count} test images that excite it most",
                                 "filtro {number}: las {count} imágenes de test que más lo "
                                 "activan"),
    "inside.features_searched": ("Searched among the first {count} test images; the {limit} "
                                 "strongest are shown, the strongest first.",
                                 "Buscadas entre las {count} primeras imágenes de test; se "
                                 "muestran las {limit} más fuertes, primero la más fuerte."),
    "inside.classes_caption": (
        "For each class, the input that raises its score (before the softmax) the most, by "
        "the same gradient ascent: what the network has learnt to call each class.",
        "Para cada clase, la entrada que más eleva su puntuación (antes del softmax), con el "
        "mismo ascenso de gradiente: lo que la red ha aprendido a llamar cada clase.",
    ),
    "inside.attribution_caption": (
        "Five ways to ask which pixels make the network say the chosen class. The three "
        "gradient methods look at single pixels; Grad-CAM at the last maps; occlusion covers "
        "parts of the image and needs no gradients.",
        "Cinco maneras de preguntar qué píxeles hacen que la red diga la clase elegida. Los "
        "tres métodos de gradiente miran píxeles sueltos; Grad-CAM, los últimos mapas; la "
        "oclusión tapa partes de la imagen y no usa gradientes.",
    ),
    "inside.attribution_working": ("Computing five attribution maps…",
                                   "Calculando cinco mapas de atribución…"),
    "inside.attribution_saliency": ("Saliency (plain gradient)", "Saliencia (gradiente simple)"),
    "inside.attribution_smoothgrad": ("SmoothGrad (25 noisy copies)",
                                      "SmoothGrad (25 copias con ruido)"),
    "inside.attribution_integrated": ("Integrated Gradients (from black)",
                                      "Gradientes integrados (desde negro)"),
    "inside.attribution_gradcam": ("Grad-CAM", "Grad-CAM"),
    "inside.attribution_occlusion": ("Occlusion", "Oclusión"),
    "inside.attribution_methods": (
        "Saliency: how much each pixel changes the score. SmoothGrad: the same, averaged over "
        "noisy copies, less speckled. Integrated Gradients: the gradient averaged on the way "
        "from a black image to this one, times the change of each pixel.",
        "Saliencia: cuánto cambia la puntuación con cada píxel. SmoothGrad: lo mismo, "
        "promediado sobre copias con ruido, menos moteado. Gradientes integrados: el gradiente "
        "promediado en el camino desde una imagen negra hasta esta, por el cambio de cada "
        "píxel.",
    ),
    "inside.ig_completeness": (
        "Integrated Gradients ({steps} steps) add up to **{total}**; the score of {name} goes "
        "from {baseline} for a black image to {score} for this one, a difference of "
        "**{difference}**. The method shares out exactly this change; the {gap} left is the "
        "error of summing the path in {steps} steps.",
        "Los gradientes integrados ({steps} pasos) suman **{total}**; la puntuación de {name} "
        "pasa de {baseline} con una imagen negra a {score} con esta, una diferencia de "
        "**{difference}**. El método reparte exactamente este cambio; el {gap} que queda es el "
        "error de sumar el camino en {steps} pasos.",
    ),
    "inside.edit_caption": (
        "Change a copy of the image and compare: does the network still recognise it?",
        "Modifica una copia de la imagen y compara: ¿la red la sigue reconociendo?",
    ),
    "inside.rotation": ("Rotation (degrees)", "Rotación (grados)"),
    "inside.noise": ("Noise", "Ruido"),
    "inside.blur": ("Blur", "Desenfoque"),
    "inside.cover": ("Cover the centre", "Tapar el centro"),
    "inside.original": ("Original", "Original"),
    "inside.edited": ("Edited copy", "Copia modificada"),
    # GAN
    "nav.gan": ("GAN", "GAN"),
    "arch.dcgan.title": ("DCGAN (report E)", "DCGAN (informe E)"),
    "train.open_gan": ("Samples, monitor and latent noise on the GAN page",
                       "Muestras, monitor y ruido latente en la página GAN"),
    "gan.title": ("Generative network (DCGAN)", "Red generativa (DCGAN)"),
    "gan.caption": (
        "Two networks learn against each other: a generator draws images from random noise, a "
        "discriminator tells them from real ones. Watch the drawings improve, then explore the "
        "noise.",
        "Dos redes aprenden una contra otra: un generador dibuja imágenes a partir de ruido y un "
        "discriminador las distingue de las reales. Mira cómo mejoran los dibujos y explora el "
        "ruido.",
    ),
    "gan.new": ("Train a new GAN", "Entrenar una nueva GAN"),
    "gan.new_caption": ("On the dataset chosen on the Dataset page: {dataset}, images of "
                        "{shape}.",
                        "Con los datos elegidos en la página Datos: {dataset}, imágenes de "
                        "{shape}."),
    "gan.bad_dataset": ("A GAN cannot be trained on the chosen dataset: {reason}",
                        "No se puede entrenar una GAN con estos datos: {reason}"),
    "gan.class": ("Images to imitate", "Imágenes a imitar"),
    "gan.all_classes": ("all classes", "todas las clases"),
    "gan.latent": ("Noise dimensions", "Dimensiones del ruido"),
    "gan.latent_help": ("Length of the random vector each image is drawn from (report E: 64).",
                        "Longitud del vector aleatorio del que sale cada imagen (informe E: 64)."),
    "gan.epochs": ("Epochs", "Épocas"),
    "gan.batch": ("Batch size", "Tamaño del lote"),
    "gan.rate": ("Learning rate", "Tasa de aprendizaje"),
    "gan.start": ("Train the GAN", "Entrenar la GAN"),
    "gan.no_runs": ("No GAN has been trained yet: choose its settings above and press "
                    "“Train the GAN”.",
                    "Aún no se ha entrenado ninguna GAN: elige sus ajustes arriba y pulsa "
                    "«Entrenar la GAN»."),
    "gan.run": ("GAN run", "Ejecución GAN"),
    "gan.tab_training": ("Training", "Entrenamiento"),
    "gan.tab_sampler": ("Sampler", "Muestras"),
    "gan.tab_sliders": ("Noise sliders", "Deslizadores de ruido"),
    "gan.tab_between": ("Interpolation", "Interpolación"),
    "gan.tab_check": ("Memorisation and collapse", "Memorización y colapso"),
    "gan.value": ("Value", "Valor"),
    "gan.d_loss": ("discriminator loss", "pérdida del discriminador"),
    "gan.g_loss": ("generator loss", "pérdida del generador"),
    "gan.d_real": ("D(x): real images judged real", "D(x): reales juzgadas reales"),
    "gan.d_fake": ("D(G(z)): generated judged real", "D(G(z)): generadas juzgadas reales"),
    "gan.curves_hint": (
        "At balance both losses hover around 0.7 and both outputs near 0.5. D(G(z)) falling to "
        "0 means the discriminator wins outright and the generator stops learning.",
        "En equilibrio ambas pérdidas rondan 0,7 y ambas salidas 0,5. Si D(G(z)) cae a 0, el "
        "discriminador gana del todo y el generador deja de aprender.",
    ),
    "gan.no_monitor": ("The first grid of samples appears after the first epoch.",
                       "La primera cuadrícula de muestras aparece tras la primera época."),
    "gan.monitor": ("**The same noise, drawn after each epoch**",
                    "**El mismo ruido, dibujado tras cada época**"),
    "gan.epoch": ("Epoch", "Época"),
    "gan.epoch_grid": ("after epoch {epoch}", "tras la época {epoch}"),
    "gan.play": ("Play", "Reproducir"),
    "gan.pause": ("Pause", "Pausa"),
    "gan.no_generator": ("Nothing to sample yet: {reason}",
                         "Aún no hay nada que muestrear: {reason}"),
    "gan.seed": ("Seed", "Semilla"),
    "gan.new_seed": ("New samples", "Nuevas muestras"),
    "gan.count": ("Samples", "Muestras"),
    "gan.truncation": ("Truncation (0 = off)", "Truncado (0 = sin truncar)"),
    "gan.truncation_help": (
        "Redraw noise values beyond this size: images become more typical and less varied.",
        "Vuelve a sortear los valores del ruido mayores que esto: imágenes más típicas y menos "
        "variadas.",
    ),
    "gan.grid_caption": ("{count} images from seed {seed}",
                         "{count} imágenes de la semilla {seed}"),
    "gan.sliders_caption": ("Move the first {dimensions} noise values of one sample and watch "
                            "the image change.",
                            "Mueve los primeros {dimensions} valores del ruido de una muestra y "
                            "mira cómo cambia la imagen."),
    "gan.dimension": ("Noise value {number}", "Valor del ruido {number}"),
    "gan.start_seed": ("From seed", "Desde la semilla"),
    "gan.end_seed": ("To seed", "Hasta la semilla"),
    "gan.steps": ("Steps", "Pasos"),
    "gan.mode": ("Path", "Camino"),
    "gan.mode_linear": ("straight line", "línea recta"),
    "gan.mode_spherical": ("spherical", "esférico"),
    "gan.strip_caption": ("{steps} images on the way from one noise vector to the other",
                          "{steps} imágenes en el camino de un vector de ruido al otro"),
    "gan.step": ("Step", "Paso"),
    "gan.checking": ("Drawing {count} images and comparing them with real ones…",
                     "Dibujando {count} imágenes y comparándolas con las reales…"),
    "gan.nearest_title": ("**Generated images (top) and their nearest training image (below)**",
                          "**Imágenes generadas (arriba) y su imagen de entrenamiento más "
                          "cercana (abajo)**"),
    "gan.generated_image": ("generated", "generada"),
    "gan.nearest": ("nearest, distance {distance}", "más cercana, distancia {distance}"),
    "gan.nearest_hint": (
        "A distance near 0 means the generator copies a training image instead of inventing "
        "one (memorisation).",
        "Una distancia cercana a 0 significa que el generador copia una imagen de "
        "entrenamiento en vez de inventar una (memorización).",
    ),
    "gan.diversity_title": ("**How different the images are from each other**",
                            "**Cuánto se diferencian las imágenes entre sí**"),
    "gan.diversity_generated": ("Generated images", "Imágenes generadas"),
    "gan.diversity_real": ("Real images", "Imágenes reales"),
    "gan.diversity_ratio": ("Generated / real", "Generadas / reales"),
    "gan.collapse": ("The generated images are only {ratio} as varied as real ones: the "
                     "generator may have collapsed onto a few modes.",
                     "Las imágenes generadas son solo un {ratio} de variadas que las reales: "
                     "el generador puede haber colapsado en pocos modos."),
    "gan.diverse": ("The generated images are {ratio} as varied as real ones (100% = as varied).",
                    "Las imágenes generadas son un {ratio} de variadas que las reales (100% = "
                    "igual de variadas)."),
    "gan.balance_title": ("**Which classes the generated images look like**",
                          "**A qué clases se parecen las imágenes generadas**"),
    "gan.no_classifier": ("Train a classifier on the same dataset to see which classes the "
                          "generated images look like.",
                          "Entrena un clasificador con los mismos datos para ver a qué clases "
                          "se parecen las imágenes generadas."),
    "gan.classifier": ("Classifier run that judges", "Ejecución del clasificador que juzga"),
    "gan.generated": ("generated", "generadas"),
    "gan.real": ("real training images", "imágenes reales de entrenamiento"),
    "gan.share": ("Share of images", "Proporción de imágenes"),
    "gan.balance_distance": ("Distance between the two balances: {distance} (0 = the same, "
                             "1 = no class in common).",
                             "Distancia entre los dos repartos: {distance} (0 = iguales, 1 = "
                             "ninguna clase en común)."),
    # Convolution explainer
    "nav.explainer": ("Convolution", "Convolución"),
    "explain.title": ("How a convolution works", "Cómo funciona una convolución"),
    "explain.caption": (
        "A kernel slides over the input; at each place it multiplies the numbers under it by its "
        "own and adds them up, filling one cell of the feature map. Then ReLU and pooling.",
        "Un kernel se desliza sobre la entrada; en cada lugar multiplica los números que cubre "
        "por los suyos y los suma, y así llena una celda del mapa de activación. Después, ReLU "
        "y pooling.",
    ),
    "explain.input": ("Input", "Entrada"),
    "explain.input_report_d": ("5×5 grid (report D)", "Rejilla 5×5 (informe D)"),
    "explain.input_digit": ("a handwritten digit", "un dígito manuscrito"),
    "explain.input_own": ("your own", "la tuya"),
    "explain.digit": ("Digit image number", "Número de imagen del dígito"),
    "explain.own_size": ("Size", "Tamaño"),
    "explain.edit_hint": ("Click a cell to change its value: draw with 1s on 0s.",
                          "Haz clic en una celda para cambiar su valor: dibuja con unos sobre "
                          "ceros."),
    "explain.kernel": ("Kernel", "Kernel"),
    "explain.kernel_identity": ("identity", "identidad"),
    "explain.kernel_vertical_edges": ("vertical edges (Sobel)", "bordes verticales (Sobel)"),
    "explain.kernel_horizontal_edges": ("horizontal edges (Sobel)",
                                        "bordes horizontales (Sobel)"),
    "explain.kernel_outline": ("outline", "contorno"),
    "explain.kernel_blur": ("blur", "desenfoque"),
    "explain.kernel_sharpen": ("sharpen", "enfocar"),
    "explain.kernel_emboss": ("emboss", "relieve"),
    "explain.kernel_diagonal": ("diagonal", "diagonal"),
    "explain.kernel_trained": ("a filter the current run learned",
                               "un filtro aprendido por la ejecución actual"),
    "explain.filter": ("Filter of {layer}", "Filtro de {layer}"),
    "explain.stride": ("Stride", "Paso (stride)"),
    "explain.padding": ("Padding", "Relleno (padding)"),
    "explain.padding_valid": ("none (valid)", "ninguno (valid)"),
    "explain.padding_zeros": ("{amount} of zeros on each side (Keras: same, at stride 1)",
                              "{amount} de ceros en cada lado (Keras: same, con paso 1)"),
    "explain.not_numbers": ("Every cell must hold a number.",
                            "Todas las celdas deben contener un número."),
    "explain.bad_size": ("A {kernel}×{kernel} kernel does not fit in a {size}×{size} input with "
                         "padding {padding}.",
                         "Un kernel de {kernel}×{kernel} no cabe en una entrada de {size}×{size} "
                         "con relleno {padding}."),
    "explain.formula": (
        "Output size = ⌊(n + 2p − k) / s⌋ + 1 = ⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = **{out}**",
        "Tamaño de salida = ⌊(n + 2p − k) / s⌋ + 1 = ⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = "
        "**{out}**",
    ),
    "explain.step": ("Step of the window", "Paso de la ventana"),
    "explain.play": ("▶ Play: step the window by itself", "▶ Reproducir: la ventana avanza sola"),
    "explain.play_help": ("Moves the window one step every second, back to the start after "
                          "the last; turn it off to stop.",
                          "Mueve la ventana un paso cada segundo y vuelve al principio tras el "
                          "último; desactívalo para parar."),
    "explain.input_grid": ("Input (with padding)", "Entrada (con relleno)"),
    "explain.kernel_grid": ("Kernel", "Kernel"),
    "explain.output_grid": ("Feature map", "Mapa de activación"),
    "explain.step_text": ("The window fills row {row}, column {column} of the feature map:",
                          "La ventana llena la fila {row}, columna {column} del mapa de "
                          "activación:"),
    "explain.after": ("Then: ReLU and pooling", "Después: ReLU y pooling"),
    "explain.relu": ("Apply ReLU", "Aplicar ReLU"),
    "explain.relu_help": ("ReLU keeps positive values and turns negative ones into 0.",
                          "ReLU conserva los valores positivos y convierte los negativos en 0."),
    "explain.pool_mode": ("Pooling", "Pooling"),
    "explain.pool_max": ("max", "máximo"),
    "explain.pool_average": ("average", "media"),
    "explain.pool_size": ("Window (and stride)", "Ventana (y paso)"),
    "explain.no_pooling": ("A {window}×{window} pooling window does not fit in the {size} "
                           "feature map.",
                           "Una ventana de pooling de {window}×{window} no cabe en el mapa de "
                           "activación de {size}."),
    "explain.pool_step": ("Step of the pooling window", "Paso de la ventana de pooling"),
    "explain.activated": ("After ReLU", "Tras ReLU"),
    "explain.pooled": ("After pooling", "Tras el pooling"),
    "explain.pool_waiting": (
        "This pooling window covers cells the convolution has not computed yet: move the "
        "window above further (or press Play).",
        "Esta ventana de pooling cubre celdas que la convolución aún no ha calculado: avanza "
        "la ventana de arriba (o pulsa Reproducir)."),
    # Hyper-parameter study
    "study.title": ("Hyper-parameter study: one run per combination",
                    "Estudio de hiperparámetros: una ejecución por combinación"),
    "study.caption": ("Uses the dataset, model and settings chosen on the other pages; the runs "
                      "wait in the queue and start one after another.",
                      "Usa los datos, el modelo y los ajustes elegidos en las otras páginas; "
                      "las ejecuciones esperan en la cola y empiezan una tras otra."),
    "study.rates": ("Learning rates", "Tasas de aprendizaje"),
    "study.batches": ("Batch sizes", "Tamaños de lote"),
    "study.epochs": ("Epochs", "Épocas"),
    "study.name": ("Study name", "Nombre del estudio"),
    "study.default_name": ("Study", "Estudio"),
    "study.start": ("Queue {runs} runs", "Poner en cola {runs} ejecuciones"),
    "study.pick": ("Show a study", "Mostrar un estudio"),
    "study.none": ("— runs of my choice —", "— ejecuciones a elegir —"),
    "study.best": ("Best so far: **{run}** (highest validation accuracy).",
                   "La mejor hasta ahora: **{run}** (mayor exactitud de validación)."),
    # Class board
    "nav.class_board": ("Class board", "Tablero de la clase"),
    "board.title": ("Class board", "Tablero de la clase"),
    "board.caption": (
        "Every run of the class, updated every two seconds. Sort by any column; click a row to "
        "show that run on the projector (presentation mode, live charts or its evaluation).",
        "Todas las ejecuciones de la clase, actualizadas cada dos segundos. Ordena por "
        "cualquier columna; haz clic en una fila para mostrar esa ejecución en el proyector "
        "(modo presentación, curvas en vivo o su evaluación)."),
    "board.locked": ("The class board is for the teacher: unlock it with the teacher password "
                     "in the sidebar.",
                     "El tablero de la clase es para el docente: desbloquéalo con la contraseña "
                     "docente en la barra lateral."),
    "board.sort": ("Sort by", "Ordenar por"),
    "board.descending": ("Largest first", "Mayor primero"),
    "board.click_hint": ("Click a row to show it on the projector.",
                         "Haz clic en una fila para mostrarla en el proyector."),
    "board.run_id": ("Run", "Ejecución"),
    "board.student": ("Student", "Estudiante"),
    "board.name": ("Name", "Nombre"),
    "board.state": ("State", "Estado"),
    "board.epoch": ("Epoch", "Época"),
    "board.progress": ("Done", "Hecho"),
    "board.accuracy": ("Accuracy", "Exactitud"),
    "board.queue": ("Place in queue", "Puesto en la cola"),
    "board.starts_in": ("Starts in", "Empieza en"),
    # Reproduce the reports
    "nav.reports": ("Reproduce the reports", "Reproducir los informes"),
    "reports.title": ("Reproduce the reports", "Reproducir los informes"),
    "reports.caption": (
        "Each experiment of the five course reports in one click: the data prepared, the "
        "networks and the hyper-parameters exactly as the report wrote them. When the runs end, "
        "the report's figures stand beside ours.",
        "Cada experimento de los cinco informes del curso con un clic: los datos preparados, las "
        "redes y los hiperparámetros tal como los escribió el informe. Al terminar, las cifras "
        "del informe aparecen junto a las nuestras."),
    "reports.pick": ("Report", "Informe"),
    "reports.A.name": ("A · Art", "A · Arte"),
    "reports.B.name": ("B · Animals (transfer)", "B · Animales (transferencia)"),
    "reports.C.name": ("C · Sketches", "C · Bocetos"),
    "reports.D.name": ("D · Fashion-MNIST", "D · Fashion-MNIST"),
    "reports.E.name": ("E · Faces and DCGAN", "E · Caras y DCGAN"),
    "reports.A.about": (
        "**Report A** classified 8,685 artworks. Drawings and engravings were merged (4 classes "
        "left) and every image resized to 64x64x3. Three networks, 30 epochs, batch 64: the "
        "final Art CNN (1,459,204 parameters, **87 %** test accuracy), the first attempt with "
        "2 convolutions and 2 dense layers (**under 80 %**, overfits) and five convolutions with "
        "decreasing filters (**84 %**).",
        "**El informe A** clasificó 8.685 obras de arte. Dibujos y grabados se fusionaron (quedan "
        "4 clases) y cada imagen se redimensionó a 64x64x3. Tres redes, 30 épocas, lote 64: la "
        "CNN de arte final (1.459.204 parámetros, **87 %** de acierto en test), el primer "
        "intento con 2 convoluciones y 2 capas densas (**menos del 80 %**, sobreajusta) y cinco "
        "convoluciones con filtros decrecientes (**84 %**)."),
    "reports.A.assumptions": (
        "Not in the report, our choice: Adam with learning rate 0.001 (Keras' default), 15 % of "
        "the images for testing and 15 % of the rest for validation, and the layer sizes of the "
        "two weaker networks (the report gives only their shape).",
        "No está en el informe, elección nuestra: Adam con tasa de aprendizaje 0,001 (la de "
        "Keras por defecto), 15 % de las imágenes para test y 15 % del resto para validación, y "
        "los tamaños de capa de las dos redes más débiles (el informe solo da su forma)."),
    "reports.A.stand_in": (
        "Stand-in: generated shapes at 64x64x3 instead of artworks. As the report merged "
        "drawings and engravings, 'cross' and 'line' are merged, leaving 4 classes (circle, "
        "cross or line, square, triangle; 1,500 images). Shapes are far easier than art: expect "
        "higher accuracy than the report's.",
        "Sustituto: formas generadas de 64x64x3 en lugar de obras de arte. Igual que el informe "
        "fusionó dibujos y grabados, se fusionan 'cross' y 'line' y quedan 4 clases (círculo, "
        "cruz o línea, cuadrado, triángulo; 1.500 imágenes). Las formas son mucho más fáciles "
        "que el arte: espera más acierto que el del informe."),
    "reports.A.need_data": (
        "Give your copy of Art Images: a folder with one sub-folder per class (drawings, "
        "engraving, iconography, painting, sculpture) inside the data folder, or a ZIP of it.",
        "Indica tu copia de Art Images: una carpeta con una subcarpeta por clase (drawings, "
        "engraving, iconography, painting, sculpture) dentro de la carpeta de datos, o un ZIP."),
    "reports.B.about": (
        "**Report B** recognised 30 animal species (13,000 photos, unbalanced). Images were "
        "resized so the shortest side is 128 and centre-cropped; 85/15 stratified split. "
        "Transfer learning from ImageNet with a dense head: lr 1e-4, L1 1e-4, batch 32, 50 "
        "epochs, augmentation, oversampling, early stopping and ReduceLROnPlateau (factor 0.5). "
        "Results: **VGG16 84.4 %** (top-3 93.8 %, F1 0.786), **ResNet50 87.1 %** (96.5 %, "
        "0.820), **InceptionV3 86.4 %** (95.1 %, 0.810).",
        "**El informe B** reconoció 30 especies de animales (13.000 fotos, desbalanceadas). Las "
        "imágenes se redimensionaron con el lado menor a 128 y recorte central; partición "
        "estratificada 85/15. Transferencia desde ImageNet con una cabeza densa: lr 1e-4, L1 "
        "1e-4, lote 32, 50 épocas, aumento de datos, sobremuestreo, parada temprana y "
        "ReduceLROnPlateau (factor 0,5). Resultados: **VGG16 84,4 %** (top-3 93,8 %, F1 0,786), "
        "**ResNet50 87,1 %** (96,5 %, 0,820), **InceptionV3 86,4 %** (95,1 %, 0,810)."),
    "reports.B.assumptions": (
        "Not in the report, our choice: a head of Dense 256 with dropout 0.5, 15 % of the "
        "training images for validation, the augmentation (horizontal flips, rotation up to "
        "18°, zoom up to 10 %), early-stopping patience 8 and plateau patience 3. The report's "
        "learning-rate decay of 1e-7 per step changes the rate by under 0.2 % over the run and "
        "is left out. Without internet the ImageNet weights cannot be downloaded: the run then "
        "says so and learns from random weights.",
        "No está en el informe, elección nuestra: una cabeza Dense 256 con dropout 0,5, 15 % de "
        "las imágenes de entrenamiento para validación, el aumento (volteo horizontal, rotación "
        "de hasta 18°, zoom de hasta 10 %), paciencia 8 de la parada temprana y 3 de la meseta. "
        "El decaimiento de 1e-7 por paso del informe cambia la tasa menos de un 0,2 % y se "
        "omite. Sin internet no se pueden descargar los pesos de ImageNet: la ejecución lo "
        "avisa y aprende desde pesos aleatorios."),
    "reports.B.stand_in": (
        "Stand-in: 6 classes of generated shapes at 128x128x3 (1,800 images, balanced) instead "
        "of 30 animal species, with the same crop, split, augmentation and oversampling. A much "
        "easier task: expect higher accuracy than the report's.",
        "Sustituto: 6 clases de formas generadas de 128x128x3 (1.800 imágenes, balanceadas) en "
        "lugar de 30 especies, con el mismo recorte, partición, aumento y sobremuestreo. Una "
        "tarea mucho más fácil: espera más acierto que el del informe."),
    "reports.B.need_data": (
        "Give your copy of the animal photos: a folder with one sub-folder per species inside "
        "the data folder, or a ZIP of it.",
        "Indica tu copia de las fotos de animales: una carpeta con una subcarpeta por especie "
        "dentro de la carpeta de datos, o un ZIP."),
    "reports.C.about": (
        "**Report C** recognised 20,000 sketches of 250 classes (TU-Berlin) at 128x128 "
        "grayscale, listed in train.txt, test.txt and mapping.txt. 80/20 train/validation, "
        "batch 64, Adam defaults, 50 epochs. **Simple CNN with batch norm 46.44 %**, "
        "**ResNet-18 58.19 %**; both curves on one chart.",
        "**El informe C** reconoció 20.000 bocetos de 250 clases (TU-Berlin) a 128x128 en "
        "grises, listados en train.txt, test.txt y mapping.txt. 80/20 entrenamiento/validación, "
        "lote 64, Adam por defecto, 50 épocas. **CNN simple con batch norm 46,44 %**, "
        "**ResNet-18 58,19 %**; ambas curvas en un gráfico."),
    "reports.C.assumptions": (
        "Not in the report, our choice: the dense head of the Simple CNN and images stretched "
        "to 128x128 when a sketch has another size.",
        "No está en el informe, elección nuestra: la cabeza densa de la CNN simple y estirar a "
        "128x128 un boceto de otro tamaño."),
    "reports.C.stand_in": (
        "Stand-in: 6 classes of generated shapes in grayscale at 128x128 (1,800 images) instead "
        "of 250 sketch classes, from the built-in generator instead of a file list. With 6 "
        "classes instead of 250, chance is 17 % instead of 0.4 %: expect much higher accuracy.",
        "Sustituto: 6 clases de formas generadas en grises a 128x128 (1.800 imágenes) en lugar "
        "de 250 clases de bocetos, del generador integrado en lugar de una lista de archivos. "
        "Con 6 clases en vez de 250, el azar acierta un 17 % en vez de un 0,4 %: espera mucho "
        "más acierto."),
    "reports.C.need_data": (
        "Give the folder of your sketch dataset (inside the data folder) holding train.txt, "
        "test.txt and mapping.txt, each line 'path<TAB>label'.",
        "Indica la carpeta de tu conjunto de bocetos (dentro de la carpeta de datos) con "
        "train.txt, test.txt y mapping.txt, cada línea 'ruta<TAB>etiqueta'."),
    "reports.D.about": (
        "**Report D** trained a CNN (Conv 32 → pool → Conv 64 → pool → Dense 600 → 120 → 10) on "
        "Fashion-MNIST with three settings: model 1 lr 1e-3, batch 64, 5 epochs (**~83 %**); "
        "model 2 lr 1e-5, batch 1000, 30 epochs (**~87 %**); model 3 lr 1e-5, batch 1000, 100 "
        "epochs (**over 90 %**). Two MLP baselines with one hidden layer (2048 units: batch "
        "500, 100 epochs, overfits after ~10; 512 units: batch 1000, 40 epochs, its best) lose "
        "to the CNN.",
        "**El informe D** entrenó una CNN (Conv 32 → pool → Conv 64 → pool → Dense 600 → 120 → "
        "10) en Fashion-MNIST con tres configuraciones: modelo 1 lr 1e-3, lote 64, 5 épocas "
        "(**~83 %**); modelo 2 lr 1e-5, lote 1000, 30 épocas (**~87 %**); modelo 3 lr 1e-5, "
        "lote 1000, 100 épocas (**más del 90 %**). Dos MLP de una capa oculta (2048 unidades: "
        "lote 500, 100 épocas, sobreajusta tras ~10; 512 unidades: lote 1000, 40 épocas, su "
        "mejor) pierden frente a la CNN."),
    "reports.D.assumptions": (
        "Not in the report, our choice: the report drew its 'test' curves on the test images; "
        "here 10 % of the training images are held out for validation so the test set stays "
        "unseen until the end. The report gives no accuracy for the MLPs.",
        "No está en el informe, elección nuestra: el informe dibujó sus curvas de 'test' con "
        "las imágenes de test; aquí se reserva un 10 % de las de entrenamiento para validación "
        "y el test no se ve hasta el final. El informe no da acierto para los MLP."),
    "reports.D.stand_in": (
        "Stand-in: scikit-learn's handwritten digits (1,797 images of 8x8 pixels, enlarged to "
        "28x28) instead of 70,000 clothes: 40 times fewer images, so the batch-1000 runs make "
        "only two steps an epoch and learn far less per epoch.",
        "Sustituto: los dígitos manuscritos de scikit-learn (1.797 imágenes de 8x8 píxeles, "
        "ampliadas a 28x28) en lugar de 70.000 prendas: 40 veces menos imágenes, así que las "
        "ejecuciones con lote 1000 dan solo dos pasos por época y aprenden mucho menos."),
    "reports.E.about": (
        "**Report E** classified one face attribute at a time on CelebA (balanced 50/50, 10,000 "
        "train / 2,000 validation / 1,000 test, 218x178x3; 623,490 parameters; RMSprop, batch "
        "50, 15 epochs): **male 94.6 %**, **eyeglasses 98 %**, **smiling 88.3 %**. Then a "
        "**DCGAN** on all faces at 64x64x3 (latent 64, Adam 1e-4, batch 32, 30 epochs; "
        "1,801,028 parameters) took 6 hours on a cloud GPU and showed mode collapse.",
        "**El informe E** clasificó un atributo de las caras cada vez en CelebA (50/50, 10.000 "
        "entrenamiento / 2.000 validación / 1.000 test, 218x178x3; 623.490 parámetros; RMSprop, "
        "lote 50, 15 épocas): **hombre 94,6 %**, **gafas 98 %**, **sonrisa 88,3 %**. Después, "
        "una **DCGAN** con todas las caras a 64x64x3 (latente 64, Adam 1e-4, lote 32, 30 "
        "épocas; 1.801.028 parámetros) tardó 6 horas en una GPU en la nube y mostró colapso de "
        "modos."),
    "reports.E.assumptions": (
        "Not in the report, our choice: two softmax outputs with cross-entropy (the same loss as "
        "the report's binary cross-entropy on two outputs). cnnviz reads faces through the "
        "attribute table, so the DCGAN trains on the largest sample balanced by the chosen "
        "attribute instead of every face.",
        "No está en el informe, elección nuestra: dos salidas softmax con entropía cruzada (la "
        "misma pérdida que la binaria del informe con dos salidas). cnnviz lee las caras con la "
        "tabla de atributos, así que la DCGAN entrena con la mayor muestra balanceada por el "
        "atributo elegido en lugar de con todas las caras."),
    "reports.E.stand_in": (
        "Stand-in: generated shapes instead of faces. The attribute classifier tells circles "
        "from squares at 218x178x3 (600 images, balanced like the report's sample); the DCGAN "
        "learns all 6 shapes at 64x64x3. Shapes are simpler than faces: the classifier should "
        "beat the report, and the GAN's samples are judged on the GAN page.",
        "Sustituto: formas generadas en lugar de caras. El clasificador distingue círculos de "
        "cuadrados a 218x178x3 (600 imágenes, balanceadas como la muestra del informe); la "
        "DCGAN aprende las 6 formas a 64x64x3. Las formas son más simples que las caras: el "
        "clasificador debería superar al informe, y las muestras de la GAN se juzgan en la "
        "página GAN."),
    "reports.E.need_data": (
        "Give the CelebA folder (inside the data folder) holding list_attr_celeba.txt and "
        "img_align_celeba/ (list_eval_partition.txt is used when present).",
        "Indica la carpeta de CelebA (dentro de la carpeta de datos) con list_attr_celeba.txt e "
        "img_align_celeba/ (se usa list_eval_partition.txt si existe)."),
    "reports.data": ("Data", "Datos"),
    "reports.data.report": ("The report's data (your copy)", "Los datos del informe (tu copia)"),
    "reports.data.stand_in": ("A stand-in that is on this machine",
                              "Un sustituto que está en esta máquina"),
    "reports.fashion_here": ("Fashion-MNIST is on this machine.",
                             "Fashion-MNIST está en esta máquina."),
    "reports.fashion_download": (
        "Fashion-MNIST is not on this machine: the run downloads it (internet needed), or pick "
        "the stand-in.",
        "Fashion-MNIST no está en esta máquina: la ejecución lo descarga (hace falta internet), "
        "o elige el sustituto."),
    "reports.zip": ("…or upload it as a ZIP", "…o súbelo como ZIP"),
    "reports.path": ("Folder of your copy", "Carpeta de tu copia"),
    "reports.no_attribute": ("The attribute table has none of the report's attributes ({attributes}).",
                             "La tabla de atributos no tiene ninguno de los del informe "
                             "({attributes})."),
    "reports.merged": ("Merged as in the report: {classes}.",
                       "Fusionadas como en el informe: {classes}."),
    "reports.no_merge": (
        "No folders named like drawings and engraving were found ({classes}): the classes are "
        "kept as they are.",
        "No hay carpetas con nombres como drawings y engraving ({classes}): las clases se "
        "mantienen."),
    "reports.reading": ("Reading the data…", "Leyendo los datos…"),
    "reports.measuring": ("Timing a training step of each network on this machine…",
                          "Cronometrando un paso de entrenamiento de cada red en esta máquina…"),
    "reports.col.run": ("Run", "Ejecución"),
    "reports.col.network": ("Network", "Red"),
    "reports.col.optimizer": ("Optimizer", "Optimizador"),
    "reports.col.rate": ("Learning rate", "Tasa de aprendizaje"),
    "reports.col.batch": ("Batch", "Lote"),
    "reports.col.epochs": ("Epochs", "Épocas"),
    "reports.col.duration": ("Expected here", "Duración prevista aquí"),
    "reports.expected": (
        "Expected on this machine: about {duration} for the {runs} runs one after another "
        "(timed from real training steps; early stopping may end a run sooner).",
        "Previsto en esta máquina: unos {duration} para las {runs} ejecuciones una tras otra "
        "(medido con pasos de entrenamiento reales; la parada temprana puede acabar antes)."),
    "reports.start": ("Start the {runs} runs", "Iniciar las {runs} ejecuciones"),
    "reports.results": ("The report beside this run", "El informe junto a esta ejecución"),
    "reports.figure": ("{metric}: report {report} — this run {run}",
                       "{metric}: informe {report} — esta ejecución {run}"),
    "reports.no_figures": ("The report gives no figure for this run.",
                           "El informe no da cifras de esta ejecución."),
    "reports.metric.accuracy": ("Test accuracy", "Acierto en test"),
    "reports.metric.top3_accuracy": ("Top-3 accuracy", "Acierto top-3"),
    "reports.metric.macro_f1": ("F1", "F1"),
    "reports.metric.macro_precision": ("Precision", "Precisión"),
    "reports.metric.macro_recall": ("Recall", "Exhaustividad"),
    "reports.metric.parameters": ("Parameters", "Parámetros"),
    "reports.metric.seconds": ("Training time", "Tiempo de entrenamiento"),
    "reports.monitor": ("Monitor samples after epoch {epoch}",
                        "Muestras del monitor tras la época {epoch}"),
    "reports.open": ("Open this run", "Abrir esta ejecución"),
    "reports.progress": ("Epoch {epoch} of {epochs}", "Época {epoch} de {epochs}"),
    "train.estimate": ("How long will it take here?", "¿Cuánto tardará aquí?"),
    "train.expected": (
        "About {duration} on this machine (a training step of this network timed here, times "
        "the steps of the run; early stopping may end it sooner).",
        "Unos {duration} en esta máquina (un paso de entrenamiento de esta red cronometrado "
        "aquí, por los pasos de la ejecución; la parada temprana puede acabarla antes)."),
}


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text of ``key`` in ``language`` with ``{placeholders}`` filled in.

    An unknown key raises ``KeyError``: a missing string is a bug the tests must catch, not
    something to show the user.
    """
    english, spanish = MESSAGES[key]
    text = spanish if language == "es" else english
    return text.format(**values) if values else text
