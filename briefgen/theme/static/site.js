(function () {
  "use strict";
  // Opened straight from disk (file://), a link to a folder shows a listing; point it at index.html.
  if (location.protocol === "file:") {
    for (const a of document.querySelectorAll("a[href]")) {
      const href = a.getAttribute("href");
      if (/^[a-z]+:|^\/\//i.test(href) || href.startsWith("#")) continue;
      const [path, frag] = href.split("#");
      if (path === "" || !path.endsWith("/")) continue;
      a.setAttribute("href", path + "index.html" + (frag ? "#" + frag : ""));
    }
    return;
  }
  // Arrived from a search result (?highlight=word): mark the words with Pagefind's highlighter.
  const me = document.currentScript;
  if (me && new URLSearchParams(location.search).has("highlight")) {
    import(new URL("../pagefind/pagefind-highlight.js", me.src).href)
      .then((mod) => new mod.default({ highlightParam: "highlight", markContext: "[data-pagefind-body]", addStyles: false }))
      .catch(() => {});  // no index (a site without briefings): nothing to mark
  }
})();
