/* The join page's clock, counted from the server's clock (data-innowerkstatt-now), so a wrong clock
   on the attendee's computer neither hides the button nor reloads in a loop:
   - the countdown until the video conference opens ("in 90 days", "in 5 hours", localised with
     Intl.RelativeTimeFormat in the page's language, as the server renders it first); the page
     reloads (a GET) when the conference opens;
   - the agenda's "Now" mark moves to the item that is running, without reloading. */
(function () {
    "use strict";
    var UNITS = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
    function language() { return document.documentElement.lang || navigator.language || "en"; }
    function relative(seconds) {
        var unit = UNITS[UNITS.length - 1];
        for (var i = 0; i < UNITS.length; i++) { if (seconds >= UNITS[i][0]) { unit = UNITS[i]; break; } }
        var count = Math.floor(seconds / unit[0]);
        try {
            return new Intl.RelativeTimeFormat(language(), { numeric: "always" }).format(count, unit[1]);
        } catch (e) {
            return null;  // no Intl support: keep the server's text
        }
    }
    function serverClock(node) {
        var serverNow = Date.parse(node.getAttribute("data-innowerkstatt-now")), loaded = Date.now();
        return function () { return serverNow + (Date.now() - loaded); };
    }
    function countdown() {
        var nodes = document.querySelectorAll("[data-innowerkstatt-countdown]");
        if (!nodes.length) { return; }
        function tick() {
            var done = false;
            nodes.forEach(function (node) {
                node.innowerkstattClock = node.innowerkstattClock || serverClock(node);
                var opens = Date.parse(node.getAttribute("data-innowerkstatt-countdown"));
                var left = Math.max(0, Math.ceil((opens - node.innowerkstattClock()) / 1000));
                var text = relative(left);
                if (text !== null) { node.textContent = text; }
                if (left === 0) { done = true; }
            });
            if (done) { window.setTimeout(function () { window.location.reload(); }, 1500); }
            else { window.setTimeout(tick, 1000); }
        }
        tick();
    }
    function agenda() {
        var list = document.querySelector("[data-innowerkstatt-agenda]");
        if (!list) { return; }
        var clock = serverClock(list), label = list.getAttribute("data-innowerkstatt-now-label");
        var items = list.querySelectorAll("[data-starts]");
        function mark() {
            var at = clock();
            items.forEach(function (item) {
                var until = item.getAttribute("data-until");
                var running = Date.parse(item.getAttribute("data-starts")) <= at && until !== "" && at < Date.parse(until);
                var badge = item.querySelector(".innowerkstatt-now-label");
                item.classList.toggle("innowerkstatt-now", running);
                if (running) {
                    item.setAttribute("aria-current", "true");
                    if (!badge) {
                        badge = document.createElement("span");
                        badge.className = "label label-success innowerkstatt-now-label";
                        badge.textContent = label;
                        var title = item.querySelector(".innowerkstatt-join-agenda-title");
                        title.appendChild(document.createTextNode(" "));
                        title.appendChild(badge);
                    }
                } else {
                    item.removeAttribute("aria-current");
                    if (badge) { badge.parentNode.removeChild(badge); }
                }
            });
            window.setTimeout(mark, 5000);
        }
        mark();
    }
    function start() { countdown(); agenda(); }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
