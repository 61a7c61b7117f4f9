// Client-side search over search-index.json: every word must match title, summary, names or tags.
(function () {
  const form = document.querySelector("form.search");
  if (!form) return;
  const input = form.querySelector("input");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const base = form.dataset.index.replace(/search-index\.json$/, "");
  let entries = null;
  const fold = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  function load() {
    if (entries) return Promise.resolve(entries);
    return fetch(form.dataset.index).then((r) => r.json()).then((data) => {
      entries = data.map((e) => ({ e, hay: fold([e.title, e.summary, e.source, ...e.entities, ...e.keywords, ...e.tags].join(" ")), title: fold(e.title) }));
      return entries;
    });
  }
  function show(query) {
    const words = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    load().then((all) => {
      const hits = all.filter((x) => words.every((w) => x.hay.includes(w)))
        .map((x) => ({ x, score: words.filter((w) => x.title.includes(w)).length }))
        .sort((a, b) => b.score - a.score || (a.x.e.date < b.x.e.date ? 1 : -1));
      status.textContent = hits.length + (hits.length === 1 ? " briefing" : " briefings") + " found";
      for (const { x } of hits.slice(0, 50)) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = base + x.e.url + (location.protocol === "file:" ? "index.html" : "");
        a.textContent = x.e.title;
        const p = document.createElement("p");
        p.textContent = x.e.date + (x.e.source ? " · " + x.e.source : "") + " — " + x.e.summary;
        li.append(a, p);
        list.append(li);
      }
    }).catch(() => { status.textContent = "The search index could not be loaded."; });
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); show(input.value); });
  input.addEventListener("input", () => show(input.value));
  const q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; show(q); }
})();
