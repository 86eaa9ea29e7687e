// The thumbnail box of the embedding map (cnnviz/figures/embedding.py: hover_thumbnails_html).
// Plotly fills {plot_id}; the __NAMES__ are the sprite sheet and its tile sizes, filled in by
// Python before the page is sent. Hovering a point shows the sheet's tile at the point's
// customdata (its position in the sheet) beside the pointer, with the point's text below.
var plot = document.getElementById('{plot_id}');
var sheet = 'data:image/png;base64,__SHEET__';
var tip = document.createElement('div');
tip.style.cssText = 'position:fixed;display:none;pointer-events:none;z-index:10;background:#fff;'
  + 'border:1px solid #94a3b8;border-radius:6px;padding:6px;font:12px sans-serif;'
  + 'box-shadow:0 2px 8px rgba(0,0,0,.15);max-width:220px';
var picture = document.createElement('div');
var scale = __SIZE__ / __TILE_H__;
picture.style.cssText = 'width:' + (__TILE_W__ * scale) + 'px;height:__SIZE__px;'
  + 'image-rendering:pixelated;background-repeat:no-repeat;'
  + 'background-size:' + (__COLUMNS__ * __TILE_W__ * scale) + 'px auto;'
  + 'background-image:url(' + sheet + ')';
var label = document.createElement('div');
label.style.marginTop = '4px';
tip.appendChild(picture); tip.appendChild(label); document.body.appendChild(tip);
plot.on('plotly_hover', function (data) {
  var point = data.points[0];
  if (point.customdata === undefined || point.customdata === null) { return; }
  var index = Number(point.customdata);
  var column = index % __COLUMNS__, row = Math.floor(index / __COLUMNS__);
  picture.style.backgroundPosition = (-column * __TILE_W__ * scale) + 'px '
    + (-row * __TILE_H__ * scale) + 'px';
  label.innerHTML = point.text || '';
  var event = data.event || {clientX: 0, clientY: 0};
  var left = event.clientX + 14, top = event.clientY + 14;
  if (left + 230 > window.innerWidth) { left = event.clientX - 240; }
  if (top + 140 > window.innerHeight) { top = event.clientY - 150; }
  tip.style.left = left + 'px'; tip.style.top = top + 'px'; tip.style.display = 'block';
});
plot.on('plotly_unhover', function () { tip.style.display = 'none'; });
