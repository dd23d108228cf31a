/* The agenda editor, enhanced: end and duration kept in step, "move the following items too"
   offered when an item's length changes, and more new items added in the page. Without this
   script the form works as it is: every field is there, one new item per save. */
(function () {
    "use strict";
    var form = document.querySelector("form.innowerkstatt-agenda-editor");
    if (!form) return;

    function field(details, suffix) {
        return details.querySelector("[name$='-" + suffix + "']");
    }

    function minutesOf(value) {
        var match = /^\s*(\d{1,2}):(\d{2})/.exec(value || "");
        return match ? parseInt(match[1], 10) * 60 + parseInt(match[2], 10) : null;
    }

    function clock(minutes) {
        var pad = function (n) { return (n < 10 ? "0" : "") + n; };
        return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
    }

    function offerRipple(details) {
        var ripple = details.querySelector(".innowerkstatt-agenda-ripple");
        if (ripple) ripple.hidden = false;
    }

    function durationChanged(details) {
        var start = minutesOf(field(details, "start_1").value);
        var duration = parseInt(field(details, "duration").value, 10);
        var endDate = field(details, "end_0"), endTime = field(details, "end_1");
        if (start === null || !(duration > 0)) return;
        if (start + duration < 24 * 60) {
            endDate.value = field(details, "start_0").value;
            endTime.value = clock(start + duration);
        } else {
            endDate.value = endTime.value = "";  // past midnight: the server sets the end from the duration
        }
        offerRipple(details);
    }

    function endChanged(details) {
        var start = minutesOf(field(details, "start_1").value);
        var end = minutesOf(field(details, "end_1").value);
        var duration = field(details, "duration");
        var sameDay = field(details, "end_0").value === field(details, "start_0").value;
        duration.value = start !== null && end !== null && sameDay && end > start ? end - start : "";
        offerRipple(details);
    }

    function enhance(details) {
        var isNew = details.classList.contains("innowerkstatt-agenda-new");
        var ripple = details.querySelector(".innowerkstatt-agenda-ripple");
        if (ripple && !isNew && !ripple.querySelector("input:checked")) ripple.hidden = true;
        details.addEventListener("input", function (event) {
            var name = event.target.name || "";
            if (/-duration$/.test(name)) durationChanged(details);
            else if (/-end_[01]$/.test(name)) endChanged(details);
        });
    }

    Array.prototype.forEach.call(form.querySelectorAll("details.innowerkstatt-agenda-form"), enhance);

    var template = document.getElementById("innowerkstatt-agenda-new-row");
    var add = form.querySelector(".innowerkstatt-agenda-add");
    var total = form.querySelector("[name='items-TOTAL_FORMS']");
    if (!template || !add || !total) return;
    add.hidden = false;
    add.addEventListener("click", function () {
        var rows = form.querySelector(".innowerkstatt-agenda-rows");
        var index = parseInt(total.value, 10);
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var details = holder.querySelector("details");
        var previous = rows.querySelectorAll("details.innowerkstatt-agenda-form");
        previous = previous[previous.length - 1];
        if (previous) {
            // The new item starts where the last one ends (or starts, with an open end).
            var ends = field(previous, "end_1").value;
            field(details, "start_0").value = field(previous, ends ? "end_0" : "start_0").value;
            field(details, "start_1").value = ends || field(previous, "start_1").value;
        }
        rows.appendChild(details);
        total.value = String(index + 1);
        enhance(details);
        details.open = true;
        field(details, "start_1").focus();
    });
})();
