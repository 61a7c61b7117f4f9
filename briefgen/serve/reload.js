// briefgen preview: reload when a new build is published; show or clear the error overlay in place.
// Injected by `briefgen serve` into served HTML only; never part of a built site.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) { return; }
  var generation = me.getAttribute("data-generation");
  var source = new EventSource(me.getAttribute("data-events"));
  var OVERLAY = "briefgen-overlay";

  function showErrors(errors) {
    var old = document.getElementById(OVERLAY);
    if (!errors.length) {
      if (old) { old.parentNode.removeChild(old); }
      return;
    }
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("style", "position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;" +
      "overflow:auto;margin:0;padding:12px 16px;background:#fff3f3;color:#700;border-bottom:3px solid #c00;" +
      "font:14px/1.4 system-ui,sans-serif;text-align:left");
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
    if (old) { old.parentNode.replaceChild(box, old); } else { document.body.appendChild(box); }
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
