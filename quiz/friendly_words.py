"""The word lists of generated player names (quiz.friendly_names), per language.

Each language has adjectives and animals short enough that every
combination, with its separators and a number up to 999, fits the nickname
limit of 20 characters (a test checks it), and forms that agree whatever the
pair: adjectives that do not change with the noun's gender (es, fr, pt),
German stems that take the strong ending of the animal's gender, Arabic
masculine adjectives with masculine nouns. Words a crowd reads happily: no
insult can come out of any pair.
"""

from __future__ import annotations

EN_ADJECTIVES = (
    "Brave", "Swift", "Clever", "Happy", "Lucky", "Mighty", "Calm", "Bold", "Witty", "Jolly",
    "Gentle", "Sunny", "Noble", "Quick", "Proud", "Loyal", "Cosmic", "Fuzzy", "Zesty", "Chill",
    "Merry", "Keen", "Nimble", "Plucky", "Sly", "Wild", "Wise", "Brisk", "Cheery", "Spry",
)  # fmt: skip
EN_ANIMALS = (
    "Otter", "Falcon", "Panda", "Tiger", "Fox", "Koala", "Lynx", "Badger", "Dolphin", "Eagle",
    "Gecko", "Heron", "Ibex", "Jaguar", "Lemur", "Moose", "Narwhal", "Owl", "Penguin", "Puffin",
    "Rabbit", "Seal", "Toucan", "Walrus", "Wolf", "Yak", "Zebra", "Bison", "Camel", "Llama",
)  # fmt: skip

# The same form for both genders, after the noun: "Zorro Veloz", "Ardilla Veloz".
ES_ADJECTIVES = (
    "Veloz", "Feliz", "Alegre", "Audaz", "Ágil", "Genial", "Leal", "Noble", "Fuerte", "Libre",
    "Tenaz", "Sutil", "Cortés", "Jovial", "Amable", "Capaz", "Firme", "Dulce",
)  # fmt: skip
ES_ANIMALS = (
    "Zorro", "Búho", "Lince", "Tigre", "Panda", "Delfín", "Águila", "Koala", "Jaguar", "Tejón",
    "Nutria", "Ardilla", "Cebra", "Llama", "Foca", "Garza", "Tortuga", "Gacela", "Ballena",
    "Pingüino",
)  # fmt: skip

FR_ADJECTIVES = (
    "Agile", "Rapide", "Calme", "Brave", "Sage", "Drôle", "Habile", "Aimable", "Fidèle", "Libre",
    "Magique", "Unique", "Solide", "Souple", "Robuste", "Modeste", "Honnête", "Céleste", "Docile",
    "Sublime", "Superbe",
)  # fmt: skip
FR_ANIMALS = (
    "Renard", "Hibou", "Lynx", "Tigre", "Panda", "Dauphin", "Aigle", "Koala", "Jaguar",
    "Blaireau", "Loutre", "Écureuil", "Zèbre", "Lama", "Phoque", "Héron", "Tortue", "Gazelle",
    "Baleine", "Pingouin",
)  # fmt: skip

PT_ADJECTIVES = (
    "Veloz", "Feliz", "Alegre", "Audaz", "Ágil", "Gentil", "Leal", "Nobre", "Forte", "Livre",
    "Sutil", "Cortês", "Jovial", "Amável", "Capaz", "Firme", "Doce", "Valente", "Genial",
)  # fmt: skip
PT_ANIMALS = (
    "Raposa", "Coruja", "Lince", "Tigre", "Panda", "Golfinho", "Águia", "Coala", "Onça", "Texugo",
    "Lontra", "Esquilo", "Zebra", "Lhama", "Foca", "Garça", "Gazela", "Baleia", "Pinguim",
)  # fmt: skip

# Stems: the strong ending of the animal's gender follows (m -er, f -e,
# n -es; a stem ending in e takes it without its own e: leise -> leiser).
DE_ADJECTIVES = (
    "flink", "rasch", "mutig", "klug", "froh", "wild", "stark", "leise", "lustig", "tapfer",
    "sanft", "frech", "munter", "kühn", "heiter", "treu", "flott", "schlau", "ruhig", "stolz",
    "weise", "bunt", "keck", "wach", "fein", "brav",
)  # fmt: skip
DE_ANIMALS = (
    ("Fuchs", "m"), ("Luchs", "m"), ("Tiger", "m"), ("Panda", "m"), ("Adler", "m"),
    ("Dachs", "m"), ("Biber", "m"), ("Otter", "m"), ("Igel", "m"), ("Wal", "m"), ("Wolf", "m"),
    ("Falke", "m"), ("Uhu", "m"), ("Elch", "m"), ("Katze", "f"), ("Eule", "f"), ("Robbe", "f"),
    ("Möwe", "f"), ("Gans", "f"), ("Ente", "f"), ("Zebra", "n"), ("Pferd", "n"), ("Reh", "n"),
    ("Lamm", "n"), ("Pony", "n"), ("Kamel", "n"),
)  # fmt: skip
DE_ENDINGS = {"m": "er", "f": "e", "n": "es"}

# Masculine nouns, masculine adjectives, the adjective after the noun: "أسد شجاع".
AR_ADJECTIVES = (
    "شجاع", "سريع", "ذكي", "سعيد", "قوي", "لطيف", "هادئ", "نشيط", "مرح", "جريء",
    "حكيم", "أنيق", "كريم", "ظريف", "نبيل", "بارع", "لامع", "مخلص", "فضولي", "طيب",
)  # fmt: skip
AR_ANIMALS = (
    "أسد", "نمر", "ذئب", "صقر", "فهد", "دب", "حصان", "جمل", "غزال", "نسر",
    "ثعلب", "فيل", "قرد", "أرنب", "طاووس", "دلفين", "بطريق", "سنجاب", "كنغر", "حوت",
)  # fmt: skip

# The adjective before the animal, no space: "はやいキツネ".
JA_ADJECTIVES = (
    "はやい", "かしこい", "つよい", "やさしい", "げんきな", "たのしい", "かわいい", "すごい",
    "あかるい", "しずかな", "ゆかいな", "ふしぎな", "まじめな", "すてきな", "かっこいい",
    "のんきな", "おおきな", "ちいさな", "かるい", "まるい",
)  # fmt: skip
JA_ANIMALS = (
    "キツネ", "タヌキ", "パンダ", "ウサギ", "ネコ", "イヌ", "トラ", "ライオン", "ペンギン",
    "イルカ", "クジラ", "リス", "フクロウ", "カメ", "ゾウ", "キリン", "コアラ", "ラッコ",
    "カワウソ", "ハリネズミ",
)  # fmt: skip
