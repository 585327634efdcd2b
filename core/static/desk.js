// Small progressive enhancements for the staff desk; every form works without them.
(function () {
  "use strict";
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  // Select every ticket in a queue.
  $$("[data-select-all]").forEach((box) => box.addEventListener("change", () => {
    $$('input[name="ticket"]').forEach((item) => { item.checked = box.checked; });
  }));

  // Show only the selected ticket type's own fields; hidden ones are disabled so they are not sent.
  const typeSelect = $("[data-type-select]");
  function showTypeFields() {
    $$("[data-type-fields]").forEach((group) => {
      const active = group.dataset.typeFields === typeSelect.value;
      group.hidden = !active;
      $$("input, select, textarea", group).forEach((input) => { input.disabled = !active; });
    });
  }
  if (typeSelect) { typeSelect.addEventListener("change", showTypeFields); showTypeFields(); }

  // Lookup fields that depend on another (estate → building → unit → room): reload the choices when the
  // parent changes, which empties the levels below in turn. Without script the form still works: the page
  // comes back with the next level's choices after each submit.
  const language = document.documentElement.lang.startsWith("en") ? "en" : "zh";
  $$("select[data-lookup-parent]").forEach((select) => {
    const parent = select.form && select.form.elements[select.dataset.lookupParent];
    if (!parent) return;
    parent.addEventListener("change", async () => {
      $$("option", select).slice(1).forEach((option) => option.remove());
      if (parent.value) {
        const response = await fetch(select.dataset.lookup + "?parent=" + encodeURIComponent(parent.value),
                                     { headers: { Accept: "application/json" } });
        if (response.ok) {
          (await response.json()).items.forEach((choice) => select.add(new Option(choice.label[language], choice.value)));
        }
      }
      select.value = "";
      select.dispatchEvent(new Event("change"));
    });
  });

  // Refuse too-large files before the upload starts, so nothing typed is lost.
  $$("input[type=file][data-max-bytes]").forEach((input) => input.addEventListener("change", () => {
    const limit = Number(input.dataset.maxBytes);
    const tooBig = Array.from(input.files).some((file) => file.size > limit);
    const warning = $("[data-file-error]", input.form);
    if (warning) warning.hidden = !tooBig;
    input.setCustomValidity(tooBig ? warning.textContent : "");
  }));

  // Insert a canned response at the cursor.
  function insert(text) {
    const body = $("[data-reply-body]");
    if (!body) return;
    const start = body.selectionStart || body.value.length;
    body.value = body.value.slice(0, start) + text + body.value.slice(body.selectionEnd || start);
    body.focus();
  }
  const canned = $("[data-canned]");
  if (canned) canned.addEventListener("change", () => { if (canned.value) insert(canned.value); canned.value = ""; });

  // Search the knowledge base and insert an article's text.
  const kbSearch = $("[data-kb-search]");
  if (kbSearch) {
    const results = $("[data-kb-results]");
    let timer;
    kbSearch.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        results.textContent = "";
        if (!kbSearch.value.trim()) return;
        const response = await fetch("/kb/suggest?q=" + encodeURIComponent(kbSearch.value));
        if (!response.ok) return;
        const data = await response.json();
        (data.articles || []).forEach((article) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "chip";
          button.textContent = article.title;
          button.addEventListener("click", async () => {
            const full = await fetch(article.insert_url);
            if (full.ok) insert((await full.json()).text);
          });
          results.appendChild(button);
        });
      }, 250);
    });
  }

  // Find a customer while typing.
  const customerSearch = $("[data-customer-search]");
  if (customerSearch) {
    const select = $("[data-customer-results]");
    let timer;
    customerSearch.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (!customerSearch.value.trim()) return;
        const response = await fetch("/desk/customers/search?q=" + encodeURIComponent(customerSearch.value));
        if (!response.ok) return;
        const data = await response.json();
        $$("option", select).slice(1).forEach((option) => option.remove());
        data.results.forEach((customer, index) => {
          const option = new Option([customer.name, customer.phone, customer.email].filter(Boolean).join(" · "), customer.id);
          select.add(option);
          if (index === 0) option.selected = true;
        });
      }, 250);
    });
  }

  // Ask before destructive actions.
  $$("[data-confirm]").forEach((button) => button.addEventListener("click", (event) => {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  }));
})();
