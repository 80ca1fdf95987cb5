import Reconcile

extension PlanReport {
    /// One self-contained page for IT: counts, a filter by action and by school, a search box. No external
    /// file or network is needed (styles and script are inline), and it prints every row, filters aside.
    public func html() -> String {
        let rows = plan.changes.map { ($0, nil as SafetyGate?) } + plan.held.map { ($0.change, $0.gate as SafetyGate?) }
        let schools = Set(rows.flatMap { $0.0.schools }).sorted()
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>ldap-sync plan — \(Self.escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1b1b1b}
        h1{font-size:1.3rem;margin:0 0 .2rem} .sub{color:#555;margin-bottom:1rem}
        .counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
        .count{border:1px solid #ccc;border-radius:6px;padding:.4rem .7rem;min-width:5rem}
        .count b{display:block;font-size:1.3rem}
        .count.revoke{border-color:#b3261e} .count.held{border-color:#b26a00;background:#fff6e5}
        .filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:1rem 0}
        input,select{font:inherit;padding:.3rem .4rem}
        table{border-collapse:collapse;width:100%} th,td{border-bottom:1px solid #e3e3e3;padding:.35rem .4rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4;position:sticky;top:0}
        .action{font-weight:600;white-space:nowrap} .unlink,.disable,.delete{color:#b3261e} .create,.link,.enable{color:#1e6b2e}
        .revocation{font-size:.8rem;background:#fde7e5;color:#b3261e;border-radius:4px;padding:0 .3rem;white-space:nowrap}
        .gate{font-size:.8rem;background:#fff0cc;color:#7a4a00;border-radius:4px;padding:0 .3rem}
        .diff{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;white-space:pre-wrap;margin:0}
        .reasons{margin:0;padding-left:1rem} .dn{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;word-break:break-all}
        .empty{padding:1rem;color:#555}
        @media print{.filters{display:none} tr{display:table-row!important} th{position:static} body{margin:0}}
        </style></head><body>
        <h1>ldap-sync plan</h1>
        <div class="sub">\(Self.escape(title)) · generated \(Self.escape(Self.timestamp(generatedAt))) · nothing has been written yet</div>
        <div class="counts">
        """
        for (name, value) in counts {
            let kind = name == "held" ? " held" : (["unlink", "disable", "delete"].contains(name) ? " revoke" : "")
            page += "<div class=\"count\(kind)\"><b>\(value)</b>\(name)</div>"
        }
        page += """
        </div>
        <div class="filters">
        <label>Action <select id="action"><option value="">all</option>
        """
        for action in Self.actionOrder { page += "<option>\(action.rawValue)</option>" }
        page += "<option value=\"held\">held</option></select></label>\n<label>School <select id=\"school\"><option value=\"\">all</option>"
        for school in schools { page += "<option>\(Self.escape(school))</option>" }
        page += """
        </select></label>
        <label>Search <input id="search" type="search" placeholder="name, username, pupil, reason…"></label>
        <span id="shown"></span>
        </div>
        <table><thead><tr><th>Action</th><th>Entry</th><th>Child</th><th>Why</th><th>Changes</th></tr></thead><tbody>

        """
        for (change, gate) in rows {
            let diff = change.modifications.filter { $0.attribute != "objectClass" }.map { modification -> String in
                let sign = modification.kind == .add ? "+" : (modification.kind == .delete ? "−" : "=")
                return "\(sign) \(modification.attribute): \(modification.values.joined(separator: ", "))\(modification.previousNote(separator: ", "))"
            }.joined(separator: "\n")
            let reasons = change.reasons.map {
                "<li><code>\(Self.escape($0.code))</code> \(Self.escape($0.description(in: jurisdiction)))</li>"
            }.joined()
            let actionKey = gate == nil ? change.action.rawValue : "held"
            page += "<tr data-action=\"\(actionKey)\" data-schools=\"\(Self.escape(change.schools.joined(separator: " ")))\">"
            page += "<td class=\"action \(change.action.rawValue)\">\(change.action.rawValue)"
            if change.cause == .revocation { page += " <span class=\"revocation\">revocation</span>" }
            if let gate { page += "<br><span class=\"gate\" title=\"\(Self.escape(gate.description))\">held: \(gate.rawValue)</span>" }
            page += "</td><td class=\"dn\">\(Self.escape(change.dn))</td><td>\(Self.escape(change.pupil ?? ""))</td>"
            page += "<td><ul class=\"reasons\">\(reasons)</ul></td><td><pre class=\"diff\">\(Self.escape(diff))</pre></td></tr>\n"
        }
        if rows.isEmpty {
            page += "<tr><td colspan=\"5\" class=\"empty\">Nothing to change: the directory already matches the sources.</td></tr>\n"
        }
        page += "</tbody></table>\n"
        if !plan.review.isEmpty {
            page += "<h2>For review (\(plan.review.count))</h2><p>No account or link until the school decides.</p>"
            page += "<table class=\"review\"><thead><tr><th>Pupil</th><th>Contact</th><th>Why</th></tr></thead><tbody>\n"
            for item in plan.review {
                let reasons = item.reasons.map {
                    "<li><code>\($0.rawValue)</code> \(Self.escape($0.description(in: jurisdiction)))</li>"
                }.joined()
                page += "<tr><td>\(Self.escape(item.pupil))</td><td>\(Self.escape(item.name)) (\(Self.escape(item.contact)))</td>"
                page += "<td><ul class=\"reasons\">\(reasons)</ul></td></tr>\n"
            }
            page += "</tbody></table>\n"
        }
        if !plan.warnings.isEmpty {
            page += "<h2>Warnings</h2><ul>" + plan.warnings.map { "<li><code>\($0.code.rawValue)</code> \(Self.escape($0.message))</li>" }.joined() + "</ul>\n"
        }
        if let moodle { page += moodle.html }
        page += """
        <script>
        (function(){
          var action=document.getElementById('action'),school=document.getElementById('school'),search=document.getElementById('search'),shown=document.getElementById('shown');
          var rows=Array.prototype.slice.call(document.querySelectorAll('tbody tr[data-action]'));
          function apply(){
            var a=action.value,s=school.value,q=search.value.toLowerCase(),n=0;
            rows.forEach(function(r){
              var ok=(!a||r.dataset.action===a)&&(!s||(' '+r.dataset.schools+' ').indexOf(' '+s+' ')>=0)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
              r.style.display=ok?'':'none'; if(ok)n++;
            });
            shown.textContent=n+' of '+rows.length+' shown';
          }
          action.onchange=school.onchange=apply; search.oninput=apply; apply();
        })();
        </script>
        </body></html>

        """
        return page
    }

    static func escape(_ text: String) -> String {
        var out = ""
        HTMLText.escape(text, into: &out)
        return out
    }
}
