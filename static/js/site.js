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


    // The organization field (sign-up, profile): an ARIA combobox that searches the registry as
    // the learner types (organizations:search, JSON). Without script the input keeps the
    // browser's own suggestion list (a datalist), and any typed name is accepted by the server.
    function organizationComboboxes() {
        var inputs = document.querySelectorAll("input[data-organization-search]");
        Array.prototype.forEach.call(inputs, function (input, index) {
            if (input.disabled || input.readOnly) {
                return;
            }
            var url = input.getAttribute("data-organization-search");
            var minLength = parseInt(input.getAttribute("data-min-length") || "2", 10);
            var listId = input.id + "-listbox";
            var statusId = input.id + "-status";
            var wrapper = document.createElement("div");
            wrapper.className = "combobox";
            input.parentNode.insertBefore(wrapper, input);
            wrapper.appendChild(input);
            var list = document.createElement("ul");
            list.id = listId;
            list.className = "combobox__list";
            list.setAttribute("role", "listbox");
            list.setAttribute("aria-label", input.getAttribute("data-listbox-label") || "");
            list.hidden = true;
            wrapper.appendChild(list);
            var status = document.createElement("div");
            status.id = statusId;
            status.className = "visually-hidden";
            status.setAttribute("role", "status");
            wrapper.appendChild(status);
            input.removeAttribute("list");
            input.setAttribute("role", "combobox");
            input.setAttribute("aria-autocomplete", "list");
            input.setAttribute("aria-expanded", "false");
            input.setAttribute("aria-controls", listId);
            var options = [];
            var active = -1;
            var timer = null;
            var latest = 0;

            function close() {
                list.hidden = true;
                input.setAttribute("aria-expanded", "false");
                input.removeAttribute("aria-activedescendant");
                active = -1;
            }
            function highlight(next) {
                if (!options.length) {
                    return;
                }
                active = (next + options.length) % options.length;
                options.forEach(function (option, i) {
                    option.setAttribute("aria-selected", i === active ? "true" : "false");
                });
                input.setAttribute("aria-activedescendant", options[active].id);
                options[active].scrollIntoView({ block: "nearest" });
            }
            function choose(option) {
                input.value = option.getAttribute("data-value");
                close();
                status.textContent = input.value;
            }
            function show(results) {
                list.innerHTML = "";
                options = results.map(function (result, i) {
                    var option = document.createElement("li");
                    option.id = input.id + "-option-" + index + "-" + i;
                    option.setAttribute("role", "option");
                    option.setAttribute("aria-selected", "false");
                    option.setAttribute("data-value", result.name);
                    option.textContent = result.name;
                    if (result.place || result.kind) {
                        var detail = document.createElement("span");
                        detail.className = "combobox__detail";
                        detail.textContent = [result.kind, result.place].filter(Boolean).join(" · ");
                        option.appendChild(detail);
                    }
                    option.addEventListener("mousedown", function (event) {
                        event.preventDefault();
                        choose(option);
                    });
                    list.appendChild(option);
                    return option;
                });
                var open = options.length > 0;
                list.hidden = !open;
                input.setAttribute("aria-expanded", open ? "true" : "false");
                active = -1;
                status.textContent = (input.getAttribute(open ? "data-results-text" : "data-no-results-text") || "")
                    .replace("%s", String(options.length));
            }
            function search() {
                var query = input.value.trim();
                if (query.length < minLength) {
                    close();
                    return;
                }
                var ticket = ++latest;
                fetch(url + "?q=" + encodeURIComponent(query), {
                    credentials: "same-origin",
                    headers: { Accept: "application/json" }
                })
                    .then(function (response) {
                        return response.ok ? response.json() : { results: [] };
                    })
                    .then(function (data) {
                        if (ticket === latest) {
                            show(data.results || []);
                        }
                    })
                    .catch(close);
            }
            input.addEventListener("input", function () {
                window.clearTimeout(timer);
                timer = window.setTimeout(search, 200);
            });
            input.addEventListener("keydown", function (event) {
                if (event.key === "ArrowDown" && !list.hidden) {
                    event.preventDefault();
                    highlight(active + 1);
                } else if (event.key === "ArrowUp" && !list.hidden) {
                    event.preventDefault();
                    highlight(active - 1);
                } else if (event.key === "Enter" && !list.hidden && active >= 0) {
                    event.preventDefault();
                    choose(options[active]);
                } else if (event.key === "Escape" && !list.hidden) {
                    event.preventDefault();
                    close();
                }
            });
            input.addEventListener("blur", close);
        });
    }

    function start() {
        focusErrorSummary();
        watchCertificates();
        filterToggles();
        organizationComboboxes();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
