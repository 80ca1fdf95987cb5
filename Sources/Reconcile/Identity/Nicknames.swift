/// The built-in table of English given names and their common short forms, for deciding whether two
/// records name the same person ("Chris Smith" and "Christopher Smith").
///
/// Equivalence is not transitive: "Chris" may be Christopher or Christine, but Christopher is never
/// Christine. So the table maps each form to the full names it can stand for, and two forms are
/// nickname-equivalent when one can stand for the other or both can stand for the same full name.
public enum Nicknames {
    /// Whether `a` and `b` (normalised: lower case, accents folded) can name the same person through
    /// the table. Equal names are not "nickname-equivalent"; callers test equality first.
    public static func areEquivalent(_ a: String, _ b: String) -> Bool {
        guard a != b else { return false }
        let fullA = fullNames(of: a), fullB = fullNames(of: b)
        if fullA.contains(b) || fullB.contains(a) { return true }
        return !fullA.isDisjoint(with: fullB)
    }

    /// The full names `name` can stand for, or an empty set when it is not a known short form.
    public static func fullNames(of name: String) -> Set<String> {
        fullNamesByForm[name] ?? []
    }

    /// The keys near-miss blocking files a given name under: the name itself and every full name it
    /// can stand for, so "Bill" and "William" meet in the same block.
    public static func blockingForms(of name: String) -> [String] {
        [name] + fullNames(of: name).sorted()
    }

    /// Full name → short forms. British usage first; kept to forms seen in school contact lists.
    static let shortForms: [String: [String]] = [
        "abigail": ["abi", "abby", "abbie", "gail"],
        "alexander": ["alex", "alec", "al", "sandy", "xander", "sasha"],
        "alexandra": ["alex", "alexa", "lexi", "sandra", "sandy", "sasha"],
        "alfred": ["alf", "alfie", "fred"],
        "andrew": ["andy", "drew"],
        "angela": ["angie"],
        "anthony": ["tony", "ant"],
        "barbara": ["barb", "babs"],
        "benjamin": ["ben", "benny", "benji"],
        "bernard": ["bernie"],
        "beverley": ["bev"],
        "bradley": ["brad"],
        "catherine": ["cath", "cathy", "kate", "katie", "kay", "cate", "cat"],
        "katherine": ["kath", "kathy", "kate", "katie", "kay", "kat", "kit"],
        "kathryn": ["kath", "kathy", "kate", "katie"],
        "charles": ["charlie", "chas", "chuck"],
        "charlotte": ["charlie", "lottie", "lotte"],
        "christine": ["chris", "chrissie", "tina"],
        "christina": ["chris", "chrissie", "tina"],
        "christopher": ["chris", "kit", "topher"],
        "daniel": ["dan", "danny"],
        "danielle": ["dani", "elle"],
        "david": ["dave", "davey", "davy"],
        "deborah": ["debbie", "deb", "debs"],
        "dominic": ["dom"],
        "donald": ["don", "donny"],
        "dorothy": ["dot", "dotty", "dolly"],
        "edward": ["ed", "eddie", "ted", "teddy", "ned"],
        "eleanor": ["ellie", "nell", "nora", "elle"],
        "elizabeth": ["liz", "lizzie", "beth", "betty", "bess", "libby", "eliza", "lisa", "elsie"],
        "emily": ["em", "emmy", "millie"],
        "frances": ["fran", "frankie", "fanny"],
        "francis": ["frank", "frankie"],
        "frederick": ["fred", "freddie", "freddy"],
        "gabriel": ["gabe"],
        "gareth": ["gaz", "gary"],
        "geoffrey": ["geoff", "jeff"],
        "jeffrey": ["jeff"],
        "gerald": ["gerry", "ged"],
        "gregory": ["greg"],
        "harold": ["harry", "hal"],
        "henry": ["harry", "hal", "hank"],
        "isabel": ["izzy", "bella", "issy"],
        "isabella": ["izzy", "bella", "issy"],
        "jacqueline": ["jackie", "jacqui"],
        "james": ["jim", "jimmy", "jamie", "jem"],
        "jennifer": ["jen", "jenny", "jenni"],
        "joanne": ["jo", "joanie"],
        "joanna": ["jo"],
        "john": ["jack", "johnny", "jon"],
        "jonathan": ["jon", "jonny", "johnny", "nathan"],
        "joseph": ["joe", "joey", "jo"],
        "josephine": ["jo", "josie"],
        "joshua": ["josh"],
        "judith": ["judy", "jude"],
        "kenneth": ["ken", "kenny"],
        "kimberley": ["kim"],
        "kimberly": ["kim"],
        "laurence": ["laurie", "larry", "loz"],
        "lawrence": ["laurie", "larry", "loz"],
        "leonard": ["len", "lenny", "leo"],
        "lucinda": ["lucy", "cindy"],
        "margaret": ["maggie", "meg", "peggy", "marge", "margie", "mags", "greta", "rita"],
        "matthew": ["matt", "matty"],
        "michael": ["mike", "mick", "mickey", "micky", "mikey", "mich"],
        "michelle": ["shelley", "mich", "chelle"],
        "nicholas": ["nick", "nicky", "nico"],
        "nicola": ["nicky", "nikki", "nic"],
        "oliver": ["olly", "ollie"],
        "olivia": ["liv", "livvy", "livy"],
        "pamela": ["pam"],
        "patricia": ["pat", "patty", "trish", "tricia"],
        "patrick": ["pat", "paddy"],
        "peter": ["pete"],
        "philip": ["phil", "pip"],
        "phillip": ["phil", "pip"],
        "rachel": ["rach"],
        "rebecca": ["becky", "becca", "bex"],
        "richard": ["rich", "rick", "ricky", "dick", "richie"],
        "robert": ["rob", "robbie", "bob", "bobby", "bert"],
        "ronald": ["ron", "ronnie"],
        "rosemary": ["rosie", "rose"],
        "samantha": ["sam", "sammy"],
        "samuel": ["sam", "sammy"],
        "sarah": ["sally", "sadie"],
        "sebastian": ["seb"],
        "stephen": ["steve", "stevie"],
        "steven": ["steve", "stevie"],
        "susan": ["sue", "suzy", "susie"],
        "suzanne": ["sue", "suzy", "susie"],
        "terence": ["terry", "tel"],
        "theodore": ["theo", "ted", "teddy"],
        "thomas": ["tom", "tommy"],
        "timothy": ["tim", "timmy"],
        "valerie": ["val"],
        "victoria": ["vicky", "vickie", "tori", "vic"],
        "william": ["will", "bill", "billy", "willie", "liam"],
        "zachary": ["zach", "zack"],
    ]

    /// Every short form → the full names it can stand for, built once from `shortForms`.
    static let fullNamesByForm: [String: Set<String>] = {
        var byForm: [String: Set<String>] = [:]
        for (full, forms) in shortForms {
            for form in forms { byForm[form, default: []].insert(full) }
        }
        return byForm
    }()
}
