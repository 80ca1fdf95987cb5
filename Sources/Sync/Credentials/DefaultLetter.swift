/// The letter ldap-sync prints when `accounts.letter_template` is not set: one page for one parent, with
/// what the school hands over (login address, username, first password), what to do next, the
/// acceptable-use terms and a slip the parent signs and returns. A school's own template may start
/// from a copy of this (README, "Credentials and hand-over"); the fields are listed in `LetterFields`.
enum DefaultLetter {
    static let template = """
        <header>
          <p class="school">{{school_name}}</p>
          <p class="date">{{date}}</p>
        </header>
        <h1>Your parent account</h1>
        <p>Dear {{parent_name}},</p>
        <p>We give parents and carers their own account to see information about their children.
        Your account shows you: {{#children}}<strong>{{name}}</strong>{{^last}}, {{/last}}{{/children}}.</p>

        <table class="credentials">
          <tr><th>Log in at</th><td class="credential">{{{login_url_html}}}</td></tr>
          <tr><th>Username</th><td class="credential">{{{username_html}}}</td></tr>
          <tr><th>First password</th><td class="credential password">{{{password_html}}}</td></tr>
        </table>
        <p class="hint">The password uses lower-case letters and digits only, in groups of four joined by “-”.
        Type the dashes too.</p>

        <h2>What to do next</h2>
        <ol>
          <li>Go to the address above on a computer, tablet or phone.</li>
          <li>Log in with your username and the first password.</li>
          <li>You will be asked to choose a new password straight away. Choose one only you know,
            and do not use it anywhere else.</li>
          <li>Then shred this letter, or keep it somewhere safe: the first password stops working once you change it.</li>
          <li>If you forget your password, ask the school office for a new letter. The school will never ask
            for your password by e-mail or on the phone.</li>
        </ol>

        <h2>Acceptable use</h2>
        <ul>
          <li>The account is yours alone: do not share your password, not even with family.</li>
          <li>Use what you see only to support your own children's education, and keep it private.</li>
          <li>Do not try to see information about other pupils or families.</li>
          <li>Tell the school at once if you think someone else knows your password, or if you see
            something you should not.</li>
          <li>The school may suspend the account if these terms are broken or if a court order or a change
            of parental responsibility means you may no longer see a child's information.</li>
        </ul>

        <div class="slip">
          <p class="cut">✂ - - - - - - - - - - - - - - - - cut here and return this part to the school office - - - - - - - - - - - - - - - -</p>
          <p>I have received the login details for the parent account <strong class="credential">{{{username_html}}}</strong>
          and agree to the acceptable-use terms above.</p>
          <table class="sign">
            <tr><th>Name</th><td>{{parent_name}}</td></tr>
            <tr><th>Children</th><td>{{#children}}{{name}}{{^last}}, {{/last}}{{/children}}</td></tr>
            <tr><th>Signature</th><td class="line"></td></tr>
            <tr><th>Date</th><td class="line"></td></tr>
          </table>
        </div>
        """
}
