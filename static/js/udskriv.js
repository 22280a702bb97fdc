// "Udskriv" buttons ([data-udskriv]): hidden in the markup, since printing from the page needs
// window.print(); shown and wired here. Loaded by src: the pages allow no inline script.
document.querySelectorAll("[data-udskriv]").forEach(function (knap) {
  knap.hidden = false;
  knap.addEventListener("click", function () {
    window.print();
  });
});
