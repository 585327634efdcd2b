// Reservation form: a returning guest is recognised by phone and their profile shown to the host (咨客).
(function () {
  const phone = document.getElementById("catering-phone");
  const out = document.getElementById("catering-guest");
  if (!phone || !out) return;
  phone.addEventListener("change", async () => {
    const response = await fetch(phone.dataset.lookup + "?phone=" + encodeURIComponent(phone.value),
                                 { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { guest } = await response.json();
    out.textContent = guest ? [guest.name + (guest.vip ? " · VIP" : ""), guest.allergies && "⚠ " + guest.allergies,
                               guest.preferences].filter(Boolean).join(" · ") : "";
  });
})();
