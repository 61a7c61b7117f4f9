// Opened straight from disk (file://), a link to a folder shows a listing; point it at index.html.
(function () {
  if (location.protocol !== "file:") return;
  for (const a of document.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href");
    if (/^[a-z]+:|^\/\//i.test(href) || href.startsWith("#")) continue;
    const [path, frag] = href.split("#");
    if (path === "" || !path.endsWith("/")) continue;
    a.setAttribute("href", path + "index.html" + (frag ? "#" + frag : ""));
  }
})();
