using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Groundtruth.Application.Forms;

/// <summary>
/// Writes a <see cref="FieldForm"/> as an ODK XForm (W3C XForms 1.0 with the JavaRosa and ODK extensions of the ODK
/// XForms specification): the document ODK Collect downloads and ODK Central or KoboToolbox serve.
/// </summary>
public static partial class XFormWriter
{
    public const string Root = "data";
    private static readonly XNamespace XForms = "http://www.w3.org/2002/xforms";
    private static readonly XNamespace Html = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace JavaRosa = "http://openrosa.org/javarosa";
    private static readonly XNamespace Odk = "http://www.opendatakit.org/xforms";
    private static readonly XNamespace OpenRosa = "http://openrosa.org/xforms";

    public static XDocument Document(FieldForm form)
    {
        var root = new XElement(XForms + Root, new XAttribute("id", form.FormId), new XAttribute("version", form.Version));
        foreach (var q in form.Questions) root.Add(new XElement(XForms + q.Name, q.Default));
        if (form.Repeat is { } repeat)
        {
            // The template ODK copies for each casualty added; no casualty exists until the team adds one.
            root.Add(new XElement(XForms + repeat.Name, new XAttribute(JavaRosa + "template", ""),
                repeat.Questions.Select(q => new XElement(XForms + q.Name, q.Default))));
        }
        root.Add(new XElement(XForms + "meta", new XElement(XForms + "instanceID")));

        var model = new XElement(XForms + "model", new XAttribute(Odk + "xforms-version", "1.0.0"), new XElement(XForms + "instance", root));
        var body = new XElement(Html + "body");
        foreach (var q in form.Questions)
        {
            model.Add(Bind(form, q, $"/{Root}/{q.Name}", repeat: null));
            body.Add(Control(q, $"/{Root}/{q.Name}"));
        }
        if (form.Repeat is { } r)
        {
            var path = $"/{Root}/{r.Name}";
            var repeatElement = new XElement(XForms + "repeat", new XAttribute("nodeset", path));
            foreach (var q in r.Questions)
            {
                model.Add(Bind(form, q, $"{path}/{q.Name}", r));
                repeatElement.Add(Control(q, $"{path}/{q.Name}"));
            }
            body.Add(new XElement(XForms + "group", new XAttribute("ref", path), new XElement(XForms + "label", r.Label), repeatElement));
        }
        model.Add(new XElement(XForms + "bind", new XAttribute("nodeset", $"/{Root}/meta/instanceID"), new XAttribute("type", "string"),
            new XAttribute("readonly", "true()"), new XAttribute(JavaRosa + "preload", "uid")));

        var html = new XElement(Html + "html",
            new XAttribute("xmlns", XForms.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "h", Html.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "jr", JavaRosa.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "odk", Odk.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "orx", OpenRosa.NamespaceName),
            new XElement(Html + "head", new XElement(Html + "title", form.Title), model),
            body);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), html);
    }

    public static void Write(FieldForm form, Stream stream)
    {
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        Document(form).Save(writer);
    }

    private static XElement Bind(FieldForm form, FormQuestion q, string path, FormRepeat? repeat)
    {
        var bind = new XElement(XForms + "bind", new XAttribute("nodeset", path), new XAttribute("type", TypeOf(q.Type)));
        if (q.RequiredWhen is { } required)
        {
            bind.Add(new XAttribute("required", Expression(form, required, repeat)));
            bind.Add(new XAttribute(JavaRosa + "requiredMsg", "An answer is required."));
        }
        if (q.Constraint is { } constraint)
        {
            bind.Add(new XAttribute("constraint", Expression(form, constraint, repeat)));
            if (q.ConstraintMessage is { } message) bind.Add(new XAttribute(JavaRosa + "constraintMsg", message));
        }
        if (q.Relevant is { } relevant) bind.Add(new XAttribute("relevant", Expression(form, relevant, repeat)));
        return bind;
    }

    private static XElement Control(FormQuestion q, string path)
    {
        var element = q.Type switch
        {
            FormQuestionType.SelectOne => "select1",
            FormQuestionType.SelectMultiple => "select",
            _ => "input",
        };
        var control = new XElement(XForms + element, new XAttribute("ref", path), new XElement(XForms + "label", q.Label));
        if (q.Hint is { } hint) control.Add(new XElement(XForms + "hint", hint));
        foreach (var c in q.Choices?.Choices ?? [])
            control.Add(new XElement(XForms + "item", new XElement(XForms + "label", c.Label), new XElement(XForms + "value", c.Name)));
        return control;
    }

    private static string TypeOf(FormQuestionType type) => type switch
    {
        FormQuestionType.Integer => "int",
        FormQuestionType.Decimal => "decimal",
        FormQuestionType.Date => "date",
        FormQuestionType.Geopoint => "geopoint",
        FormQuestionType.Geoshape => "geoshape",
        _ => "string",
    };

    /// <summary>XLSForm's <c>${name}</c> as an XPath: a sibling in the same repeat relatively (<c>../age</c>), others absolutely.</summary>
    private static string Expression(FieldForm form, string expression, FormRepeat? repeat) =>
        Reference().Replace(expression, m =>
        {
            var name = m.Groups[1].Value;
            if (repeat is not null && repeat.Questions.Any(q => q.Name == name)) return "../" + name;
            if (form.Question(name) is not null) return $"/{Root}/{name}";
            throw new InvalidOperationException($"the form {form.FormId} has no question '{name}'");
        });

    [GeneratedRegex(@"\$\{([a-z_][a-z0-9_]*)\}")]
    private static partial Regex Reference();
}
