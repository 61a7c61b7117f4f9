// briefgen preview: reload when a new build is published; show or clear the error overlay in place.
// Injected by `briefgen serve` into served HTML only; never part of a built site.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) { return; }
  var generation = me.getAttribute("data-generation");
  var source = new EventSource(me.getAttribute("data-events"));
  var OVERLAY = "briefgen-overlay";

  var OVERLAY_STYLE = "position:relative;z-index:2147483647;max-height:40vh;overflow:auto;margin:0;" +
    "padding:12px 56px 12px 16px;background:#fff3f3;color:#700;border-bottom:3px solid #c00;" +
    "font:14px/1.4 system-ui,sans-serif;text-align:left";
  var CLOSE_STYLE = "position:absolute;top:8px;right:8px;min-width:32px;min-height:32px;border:1px solid #c00;" +
    "border-radius:4px;background:#fff;color:#700;font:20px/1 system-ui,sans-serif;cursor:pointer";
  var closedFor = null;  // the errors the reader closed the overlay on: it stays closed until they change

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#" + OVERLAY + " [data-briefgen-close]");
    if (!button) { return; }
    var box = document.getElementById(OVERLAY);
    closedFor = box ? box.getAttribute("data-errors") : null;
    if (box) { box.parentNode.removeChild(box); }
  });

  function showErrors(errors) {
    var old = document.getElementById(OVERLAY);
    var key = JSON.stringify(errors);
    if (!errors.length || key === closedFor) {
      if (old) { old.parentNode.removeChild(old); }
      return;
    }
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("data-errors", key);
    box.setAttribute("style", OVERLAY_STYLE);
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("data-briefgen-close", "");
    close.setAttribute("aria-label", "Close");
    close.title = "Close";
    close.setAttribute("style", CLOSE_STYLE);
    close.textContent = "\u00d7";
    box.appendChild(close);
    var title = document.createElement("strong");
    title.textContent = "briefgen: the last build has errors; showing the last good pages";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.setAttribute("style", "margin:6px 0 0;padding-left:20px");
    errors.forEach(function (line) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = line;
      item.appendChild(code);
      list.appendChild(item);
    });
    box.appendChild(list);
    if (old) { old.parentNode.replaceChild(box, old); } else { document.body.insertBefore(box, document.body.firstChild); }
  }

  source.onmessage = function (event) {
    var state;
    try { state = JSON.parse(event.data); } catch (e) { return; }
    if (state.generation !== generation) {
      source.close();
      window.location.reload();
      return;
    }
    showErrors(state.errors || []);
  };
})();
