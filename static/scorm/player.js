/* The SCORM player: scorm-again's run-time in this page (window.API for SCORM 1.2,
 * window.API_1484_11 for SCORM 2004), the package's launch file in the iframe below.
 * Commits go to our endpoint as JSON with the CSRF header; while the page is being left
 * (a synchronous request is not allowed then) they go with fetch keepalive. */
(function () {
    "use strict";
    var configElement = document.getElementById("scorm-config");
    var frame = document.getElementById("scorm-frame");
    if (!configElement || !frame) { return; }
    var config = JSON.parse(configElement.textContent);
    var leaving = false;
    var doneElement = document.getElementById("scorm-done");
    var errorElement = document.getElementById("scorm-error");

    function show(element, visible) { if (element) { element.hidden = !visible; } }

    var resultElement = document.getElementById("scorm-result");

    function handle(body) {
        if (body && body.moduleDone) { show(doneElement, true); }
        if (body && body.postTest && resultElement) {
            var text = resultElement.dataset[body.postTest.passed ? "passed" : "failed"];
            resultElement.textContent = text.replace("{score}", body.postTest.score);
            show(resultElement, true);
        }
    }

    var httpService = {
        processHttpRequest: function (url, params, immediate, apiLog, processListeners, metadata) {
            var terminate = Boolean(metadata && metadata.isTerminateCommit);
            var cmi = params && params.cmi ? params.cmi : params;
            var body = JSON.stringify({ cmi: cmi, terminate: terminate });
            var headers = { "Content-Type": "application/json", "X-CSRFToken": config.csrfToken };
            if (leaving || document.visibilityState === "hidden") {
                fetch(url, { method: "POST", headers: headers, body: body, keepalive: true,
                             credentials: "same-origin" }).catch(function () {});
                return { result: "true", errorCode: 0 };
            }
            var xhr = new XMLHttpRequest();
            xhr.open("POST", url, false);
            Object.keys(headers).forEach(function (key) { xhr.setRequestHeader(key, headers[key]); });
            try {
                xhr.send(body);
            } catch (error) {
                show(errorElement, true);
                return { result: "false", errorCode: 101 };
            }
            if (xhr.status >= 200 && xhr.status < 300) {
                show(errorElement, false);
                try { handle(JSON.parse(xhr.responseText)); } catch (error) { /* not JSON */ }
                return { result: "true", errorCode: 0 };
            }
            show(errorElement, true);
            return { result: "false", errorCode: 101 };
        },
        updateSettings: function () {}
    };

    var settings = {
        autocommit: false,
        logLevel: 5,
        lmsCommitUrl: config.commitUrl || false,
        dataCommitFormat: "json",
        sendFullCommit: true,
        httpService: config.commitUrl ? httpService : null
    };
    var api;
    if (config.version === "1.2") {
        api = new window.Scorm12API(settings);
        window.API = api;
    } else {
        api = new window.Scorm2004API(settings);
        window.API_1484_11 = api;
    }
    if (config.cmi) { api.loadFromJSON(config.cmi, ""); }

    function markLeaving() { leaving = true; }
    window.addEventListener("beforeunload", markLeaving);
    // The package terminates itself as it is left (SCORM asks it to); its last commits go out
    // with fetch keepalive (see above).
    window.addEventListener("pagehide", markLeaving);

    if (config.launchPingUrl) {
        frame.addEventListener("load", function () {
            fetch(config.launchPingUrl, {
                method: "POST", credentials: "same-origin",
                headers: { "X-CSRFToken": config.csrfToken }
            }).then(function (response) { return response.json(); }).then(handle)
              .catch(function () {});
        }, { once: true });
    }
    frame.src = config.launchUrl;
}());
