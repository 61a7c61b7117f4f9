// The search page, on Pagefind's index (pagefind/, written by `briefgen build`). Pagefind loads only the
// index chunks and result fragments a query needs. The query and filters live in the URL (?q=...&tag=...),
// so a search can be linked to; excerpts come back with the matching words in <mark>.
(function () {
  "use strict";
  const form = document.querySelector("form.search");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const panel = form.querySelector(".search-filters");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const more = document.getElementById("search-more");
  const root = new URL(form.dataset.root, location.href);
  const KINDS = [["source", "Source"], ["tag", "Topic"], ["person", "Person"], ["place", "Place"], ["story", "Story"]];
  const PAGE = 20;
  const params = new URLSearchParams(location.search);
  const chosen = {};  // filter kind -> value, from the URL until the filter menus exist
  for (const [kind] of KINDS) if (params.get(kind)) chosen[kind] = params.get(kind);
  input.value = params.get("q") || "";

  if (location.protocol === "file:") {
    status.textContent = "Search needs the site to be served over HTTP: browsers do not let a page opened " +
      "from disk load the search index. Run `briefgen serve`, or publish site/ on a web server.";
    status.classList.add("search-problem");
    form.addEventListener("submit", (ev) => ev.preventDefault());
    return;
  }

  let pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (pf) => {
        await pf.options({ baseUrl: root.pathname, excerptLength: 24, highlightParam: "highlight" });
        return pf;
      });
    }
    return pagefind;
  }

  function currentFilters() {
    const out = {};
    for (const [kind] of KINDS) {
      const select = form.querySelector(`select[name=${kind}]`);
      const value = select ? select.value : chosen[kind];
      if (value) out[kind] = value;
    }
    return out;
  }

  function keepInURL(query, filters) {
    const next = new URLSearchParams();
    if (query) next.set("q", query);
    for (const [kind, value] of Object.entries(filters)) next.set(kind, value);
    const search = next.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function resultItem(data) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = data.url;
    a.textContent = data.meta.title || data.url;
    const meta = document.createElement("p");
    meta.className = "search-meta";
    const source = (data.filters.source || [])[0];
    meta.textContent = [data.meta.date, source].filter(Boolean).join(" · ");
    const excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt;  // Pagefind escapes the page text and adds only <mark>
    li.append(a, meta, excerpt);
    return li;
  }

  let generation = 0;
  let shown = [];
  let shownCount = 0;
  async function showMore(mine) {
    const slice = shown.slice(shownCount, shownCount + PAGE);
    const pages = await Promise.all(slice.map((r) => r.data()));
    if (mine !== generation) return;
    for (const data of pages) list.append(resultItem(data));
    shownCount += slice.length;
    more.hidden = shownCount >= shown.length;
  }

  async function run() {
    const mine = ++generation;
    const query = input.value.trim();
    const filters = currentFilters();
    keepInURL(query, filters);
    if (!query && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    try {
      const pf = await load();
      const found = await pf.search(query || null, { filters });
      if (mine !== generation || !found) return;
      shown = found.results;
      shownCount = 0;
      list.textContent = "";
      const n = shown.length;
      status.textContent = n ? `${n} briefing${n === 1 ? "" : "s"} found` : "No briefing matches.";
      await showMore(mine);
    } catch (err) {
      if (mine !== generation) return;
      status.textContent = "The search index could not be loaded.";
      status.classList.add("search-problem");
    }
  }

  let filtersMade = false;
  async function makeFilterMenus() {
    if (filtersMade) return;
    filtersMade = true;
    const counts = await (await load()).filters();
    for (const [kind, label] of KINDS) {
      const values = Object.entries(counts[kind] || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      if (!values.length) continue;
      const wrap = document.createElement("label");
      wrap.textContent = label + " ";
      const select = document.createElement("select");
      select.name = kind;
      select.append(new Option(`Any ${label.toLowerCase()}`, ""));
      for (const [value, count] of values) select.append(new Option(`${value} (${count})`, value));
      select.value = chosen[kind] || "";
      select.addEventListener("change", run);
      wrap.append(select);
      panel.querySelector(".filter-menus").append(wrap);
    }
  }

  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); clearTimeout(timer); run(); });
  more.addEventListener("click", () => showMore(generation));
  panel.hidden = false;
  panel.addEventListener("toggle", () => { if (panel.open) makeFilterMenus(); });
  if (Object.keys(chosen).length) { panel.open = true; makeFilterMenus().then(run); }
  else if (input.value) run();
})();
