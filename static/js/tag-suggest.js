// Suggest tags already in use while a visitor types into a tag field.
// The field works without this script: it is a plain comma-separated text input.
(function () {
  "use strict";

  function lastTag(value) {
    var parts = value.split(",");
    return parts[parts.length - 1].trim();
  }

  function replaceLastTag(value, tag) {
    var parts = value.split(",");
    parts[parts.length - 1] = " " + tag;
    return parts.join(",").replace(/^\s+/, "") + ", ";
  }

  function enhance(input) {
    var url = input.getAttribute("data-tag-suggest");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null;
    list.id = input.id + "-suggestions";
    list.className = "tag-suggest__list";
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      list.innerHTML = "";
    }

    function show(tags) {
      list.innerHTML = "";
      tags.forEach(function (tag) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "tag-suggest__option";
        button.textContent = tag;
        button.addEventListener("click", function () {
          input.value = replaceLastTag(input.value, tag);
          close();
          input.focus();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = tags.length === 0;
      status.textContent = tags.length ? tags.length + " tag suggestions below the field." : "";
    }

    input.addEventListener("input", function () {
      var typed = lastTag(input.value);
      window.clearTimeout(timer);
      if (typed.length < 2) {
        close();
        return;
      }
      timer = window.setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
          .then(function (data) { show(data.tags || []); })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        list.querySelector("button").focus();
      }
    });
  }

  document.querySelectorAll("input[data-tag-suggest]").forEach(enhance);
})();
