/* The format form, progressively enhanced: without this script every field is shown and works.
 * - Only the fields of the chosen rule kind and mode are shown (the server's SHOWN_ONLY_FOR).
 * - Choosing the template event fills in its start and end time and its weekday.
 * - On a new format, the short form is suggested from the name until the organiser edits it. */
(function () {
    "use strict";
    var form = document.getElementById("innowerkstatt-format-form");
    var rulesElement = document.getElementById("innowerkstatt-format-shown-only-for");
    if (!form || !rulesElement) {
        return;
    }
    var shownOnlyFor = JSON.parse(rulesElement.textContent);

    function field(name) {
        return form.querySelector('[name="' + name + '"]');
    }

    function current(name) {
        var checked = form.querySelector('[name="' + name + '"]:checked');
        if (checked) {
            return checked.value;
        }
        var element = field(name);
        return element && element.type !== "radio" ? element.value : "";
    }

    function update() {
        Object.keys(shownOnlyFor).forEach(function (name) {
            var element = field(name);
            var group = element && element.closest(".form-group");
            if (!group) {
                return;
            }
            var conditions = shownOnlyFor[name];
            var shown = Object.keys(conditions).every(function (other) {
                return conditions[other].indexOf(current(other)) !== -1;
            });
            group.hidden = !shown;
        });
    }

    form.addEventListener("change", function (event) {
        if (event.target.name in { mode: 1, rule_kind: 1 }) {
            update();
        }
        if (event.target.name === "template_event") {
            var option = event.target.selectedOptions[0];
            if (option && option.dataset.start) {
                field("start_time").value = option.dataset.start;
                if (option.dataset.end) {
                    field("end_time").value = option.dataset.end;
                }
                field("weekday").value = option.dataset.weekday;
            }
        }
    });
    update();

    var slug = field("slug");
    if (form.dataset.suggestSlug && slug) {
        var suggested = slug.value;
        var slugify = function (text) {
            return text.toLowerCase()
                .replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss")
                .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
                .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
                .slice(0, 40).replace(/-+$/, "");
        };
        form.addEventListener("input", function (event) {
            if (!/^name_\d+$/.test(event.target.name) || slug.value !== suggested) {
                return;
            }
            var names = Array.prototype.filter.call(form.querySelectorAll("input"), function (input) {
                return /^name_\d+$/.test(input.name) && input.value.trim();
            });
            suggested = names.length ? slugify(names[0].value) : "";
            slug.value = suggested;
        });
    }
})();
