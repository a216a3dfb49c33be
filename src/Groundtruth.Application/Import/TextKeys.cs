using System.Text;

namespace Groundtruth.Application.Import;

/// <summary>
/// Folds a header or a value into a key for matching words across languages: lower case, Latin accents removed,
/// Arabic short vowels removed and alef forms unified, punctuation and runs of spaces made one space.
/// (The application runs with invariant globalization, so Unicode decomposition is not available: the folding is explicit.)
/// </summary>
internal static class TextKeys
{
    private static readonly Dictionary<char, string> Latin = Build();

    private static Dictionary<char, string> Build()
    {
        var map = new Dictionary<char, string>();
        void Add(string from, string to)
        {
            foreach (var c in from) map[c] = to;
        }
        Add("àáâãäåāăą", "a");
        Add("çćĉċč", "c");
        Add("ďđ", "d");
        Add("èéêëēĕėęě", "e");
        Add("ĝğġģ", "g");
        Add("ìíîïĩīĭįı", "i");
        Add("ñńņňŉ", "n");
        Add("òóôõöøōŏő", "o");
        Add("ŕŗř", "r");
        Add("śŝşš", "s");
        Add("ţťŧ", "t");
        Add("ùúûüũūŭůűų", "u");
        Add("ýÿŷ", "y");
        Add("źżž", "z");
        Add("ß", "ss");
        Add("æ", "ae");
        Add("œ", "oe");
        Add("ё", "е");
        Add("أإآٱ", "ا");
        Add("ى", "ي");
        return map;
    }

    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = true;
        foreach (var raw in text.Trim().ToLowerInvariant())
        {
            if (raw is >= '\u064B' and <= '\u0652' or '\u0640') continue; // Arabic harakat and tatweel
            if (Latin.TryGetValue(raw, out var folded))
            {
                sb.Append(folded);
                space = false;
            }
            else if (char.IsLetterOrDigit(raw))
            {
                sb.Append(raw);
                space = false;
            }
            else if (!space)
            {
                sb.Append(' ');
                space = true;
            }
        }
        return sb.ToString().TrimEnd();
    }
}

/// <summary>Month names and abbreviations in English, French, Spanish, Portuguese, Ukrainian, Russian and Arabic.</summary>
internal static class MonthNames
{
    // One line per language: twelve names, each possibly with alternatives separated by '|'.
    private static readonly string[] Names =
    [
        "january|jan, february|feb, march|mar, april|apr, may, june|jun, july|jul, august|aug, september|sep|sept, october|oct, november|nov, december|dec",
        "janvier|janv, février|fevr|fev, mars, avril|avr, mai, juin, juillet|juil, août|aout, septembre|sept, octobre|oct, novembre|nov, décembre|dec",
        "enero|ene, febrero|feb, marzo|mar, abril|abr, mayo|may, junio|jun, julio|jul, agosto|ago, septiembre|setiembre|sep|sept|set, octubre|oct, noviembre|nov, diciembre|dic",
        "janeiro|jan, fevereiro|fev, março|mar, abril|abr, maio|mai, junho|jun, julho|jul, agosto|ago, setembro|set, outubro|out, novembro|nov, dezembro|dez",
        "січень|січня|січ, лютий|лютого|лют, березень|березня|бер, квітень|квітня|квіт, травень|травня|трав, червень|червня|черв, липень|липня|лип, серпень|серпня|серп, вересень|вересня|вер, жовтень|жовтня|жовт, листопад|листопада|лист, грудень|грудня|груд",
        "январь|января|янв, февраль|февраля|фев, март|марта|мар, апрель|апреля|апр, май|мая, июнь|июня|июн, июль|июля|июл, август|августа|авг, сентябрь|сентября|сен|сент, октябрь|октября|окт, ноябрь|ноября|ноя|нояб, декабрь|декабря|дек",
        "يناير|كانون الثاني|جانفي, فبراير|شباط|فيفري, مارس|آذار, أبريل|ابريل|نيسان|أفريل, مايو|أيار|ماي, يونيو|يونيه|حزيران|جوان, يوليو|يوليه|تموز|جويلية, أغسطس|آب|أوت, سبتمبر|أيلول, أكتوبر|تشرين الأول, نوفمبر|تشرين الثاني, ديسمبر|كانون الأول",
    ];

    private static readonly Dictionary<string, int> ByName = Build();

    private static Dictionary<string, int> Build()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var language in Names)
        {
            var months = language.Split(", ");
            if (months.Length != 12) throw new InvalidOperationException("a language needs twelve months: " + language);
            for (var m = 0; m < 12; m++)
            {
                foreach (var name in months[m].Split('|'))
                {
                    var key = TextKeys.Fold(name);
                    if (map.TryGetValue(key, out var other) && other != m + 1) throw new InvalidOperationException($"'{name}' names two months");
                    map[key] = m + 1;
                }
            }
        }
        return map;
    }

    /// <summary>The month (1–12) <paramref name="text"/> names, ignoring case, accents and a trailing full stop.</summary>
    public static int? Parse(string text) => ByName.TryGetValue(TextKeys.Fold(text), out var m) ? m : null;
}
