// The site's only script: loaded as a file, so the strict Content Security Policy holds.
(function () {
    "use strict";

    // A form that came back with errors: its summary takes focus, so it is read first.
    function focusErrorSummary() {
        var summary = document.querySelector("[data-error-summary]");
        if (summary) {
            summary.focus();
        }
    }

    // Wait for the certificate: poll a JSON endpoint (once per enrollment, however many lines
    // show it), then put the ready line in place. Backs off, and stops after about ten minutes.
    function watchCertificates() {
        var byUrl = {};
        var waiting = document.querySelectorAll("[data-certificate-status-url]");
        Array.prototype.forEach.call(waiting, function (element) {
            var url = element.getAttribute("data-certificate-status-url");
            (byUrl[url] = byUrl[url] || []).push(element);
        });
        Object.keys(byUrl).forEach(function (url) {
            var elements = byUrl[url];
            var delay = 2000;
            var tries = 0;
            function show(html) {
                // The line stays in place (a live region), so its new words are read out;
                // focus stays where the learner is.
                var holder = document.createElement("div");
                holder.innerHTML = html;
                var fresh = holder.querySelector(".certificate-line");
                elements.forEach(function (element) {
                    element.innerHTML = fresh ? fresh.innerHTML : "";
                    element.removeAttribute("data-certificate-status-url");
                });
            }
            function poll() {
                tries += 1;
                if (tries > 80) {
                    return;
                }
                fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
                    .then(function (response) {
                        return response.ok ? response.json() : null;
                    })
                    .then(function (data) {
                        if (data && data.ready && data.html) {
                            show(data.html);
                            return;
                        }
                        delay = Math.min(delay * 1.3, 10000);
                        window.setTimeout(poll, delay);
                    })
                    .catch(function () {
                        window.setTimeout(poll, 10000);
                    });
            }
            window.setTimeout(poll, delay);
        });
    }

    // Catalog filters on a phone: a button shows and hides them.
    function filterToggles() {
        var toggles = document.querySelectorAll("[data-toggle-target]");
        Array.prototype.forEach.call(toggles, function (button) {
            var target = document.getElementById(button.getAttribute("data-toggle-target"));
            if (!target) {
                return;
            }
            button.hidden = false;
            target.classList.add("is-collapsible");
            button.addEventListener("click", function () {
                var open = button.getAttribute("aria-expanded") === "true";
                button.setAttribute("aria-expanded", open ? "false" : "true");
                target.classList.toggle("is-open", !open);
            });
        });
    }

    function start() {
        focusErrorSummary();
        watchCertificates();
        filterToggles();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
