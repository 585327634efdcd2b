// Answers from the FAQ while a customer types the title of a request (deflection). The form works without it.
(function () {
  "use strict";
  const title = document.querySelector("[data-deflect]");
  const box = document.querySelector("[data-deflect-results]");
  if (!title || !box) return;
  const list = box.querySelector("ul");
  let timer;
  let asked = "";

  function item(article) {
    const entry = document.createElement("li");
    const head = document.createElement(article.url ? "a" : "strong");
    if (article.url) { head.href = article.url; head.target = "_blank"; head.rel = "noopener"; }
    head.textContent = article.title;
    const text = document.createElement("p");
    text.className = "muted";
    text.textContent = article.excerpt;
    entry.append(head, text);
    return entry;
  }

  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = title.value.trim();
      if (text === asked) return;
      asked = text;
      let articles = [];
      if (text) {
        const response = await fetch(title.dataset.deflect + "?q=" + encodeURIComponent(text),
                                     { headers: { Accept: "application/json" } });
        if (response.ok) articles = (await response.json()).articles || [];
      }
      if (text !== asked) return;  // the customer typed on meanwhile; a newer answer is coming
      list.replaceChildren(...articles.map(item));
      box.hidden = articles.length === 0;
    }, 300);
  });
  // On a slow connection the customer may have typed before this script ran.
  if (title.value.trim()) title.dispatchEvent(new Event("input"));
})();
