/* Countdown until the video conference opens; reloads the page (a GET) when it does.
   Counts from the server's clock (data-innowerkstatt-now), so a wrong clock on the attendee's
   computer neither hides the button nor reloads in a loop. */
(function () {
    "use strict";
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function start() {
        var nodes = document.querySelectorAll("[data-innowerkstatt-countdown]");
        if (!nodes.length) { return; }
        var loaded = Date.now();
        function tick() {
            var done = false;
            nodes.forEach(function (node) {
                var opens = Date.parse(node.getAttribute("data-innowerkstatt-countdown"));
                var serverNow = Date.parse(node.getAttribute("data-innowerkstatt-now")) + (Date.now() - loaded);
                var left = Math.max(0, Math.ceil((opens - serverNow) / 1000));
                var days = Math.floor(left / 86400), rest = left % 86400;
                node.textContent = (days ? days + " d " : "") + pad(Math.floor(rest / 3600)) + ":" +
                    pad(Math.floor(rest % 3600 / 60)) + ":" + pad(rest % 60);
                if (left === 0) { done = true; }
            });
            if (done) { window.setTimeout(function () { window.location.reload(); }, 1500); }
            else { window.setTimeout(tick, 1000); }
        }
        tick();
    }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
