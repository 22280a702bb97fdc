/* The idle warning: a minute before an idle session ends, a dialog lets the user stay logged in.
 *
 * The server decides (mikrolaan/konti/sessioner.py); this only asks it. The page says how long the
 * session had left when it was made; shortly before that runs out the script asks the status URL
 * (which does not count as activity), because work in another tab may have moved the end. The
 * "Forbliv logget ind" button (and Escape) calls the keep-alive URL, which does count. When the
 * server says the session is over, the tab goes to the page that says why.
 */
(function () {
  "use strict";

  var boks = document.getElementById("inaktivitet");
  var dialog = document.getElementById("inaktiv-advarsel");
  if (!boks || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var advarsel = Number(boks.dataset.advarsel);
  var nedtaelling = dialog.querySelector("[data-nedtaelling]");
  var ventetid = null;
  var ur = null;
  var udloeber = 0;

  function udlogget() {
    var her = window.location.pathname + window.location.search;
    window.location.assign(boks.dataset.udUrl + "?next=" + encodeURIComponent(her));
  }

  function SessionSlut() {}

  function spoerg(url) {
    return fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    }).then(function (svar) {
      // A redirect (to the login or the idle page) or an HTML answer: the session is gone.
      var type = svar.headers.get("Content-Type") || "";
      if (!svar.ok || svar.redirected || type.indexOf("application/json") !== 0) {
        throw new SessionSlut();
      }
      return svar.json();
    });
  }

  function planlaeg(sekunder) {
    window.clearTimeout(ventetid);
    ventetid = window.setTimeout(tjek, Math.max(0, sekunder) * 1000);
  }

  function luk() {
    window.clearInterval(ur);
    ur = null;
    if (dialog.open) {
      dialog.close();
    }
  }

  function opdater() {
    var sekunder = Math.max(0, Math.ceil((udloeber - Date.now()) / 1000));
    nedtaelling.textContent = String(sekunder);
    if (sekunder === 0) {
      window.clearInterval(ur);
      ur = null;
      planlaeg(0.5);
    }
  }

  function vis(tilbage) {
    udloeber = Date.now() + tilbage * 1000;
    if (!dialog.open) {
      dialog.showModal();
    }
    opdater();
    if (!ur && tilbage > 0) {
      ur = window.setInterval(opdater, 1000);
    }
  }

  function svar(data) {
    if (!data.logget_ind) {
      udlogget();
    } else if (data.tilbage > advarsel) {
      luk();
      planlaeg(data.tilbage - advarsel);
    } else {
      vis(data.tilbage);
    }
  }

  function fejl(grund) {
    if (grund instanceof SessionSlut) {
      udlogget();
    } else {
      // The network, not the session: ask again shortly.
      planlaeg(10);
    }
  }

  function tjek() {
    spoerg(boks.dataset.statusUrl).then(svar, fejl);
  }

  function forbliv() {
    spoerg(boks.dataset.forlaengUrl).then(svar, fejl);
  }

  dialog.querySelector("[data-forbliv]").addEventListener("click", forbliv);
  dialog.addEventListener("cancel", function (haendelse) {
    // Escape closes the dialog: the user is evidently here, so that keeps the session too.
    haendelse.preventDefault();
    forbliv();
  });
  // Timers sleep in a hidden tab and a page restored from the back-forward cache is stale.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      tjek();
    }
  });
  window.addEventListener("pageshow", function (haendelse) {
    if (haendelse.persisted) {
      tjek();
    }
  });

  planlaeg(Number(boks.dataset.tilbage) - advarsel);
})();
