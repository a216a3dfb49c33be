using Groundtruth.Web.Setup;
using Groundtruth.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Groundtruth.Web.Pages;

/// <summary>Cookie sign-in for the pages, with the same lockout as the API's tokens.</summary>
public sealed class LoginModel(SignInGate signIn) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.SignInAsync(Name, Password, IdentityConstants.ApplicationScheme)) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        Error = Ui.T("login.failure");
        return Page();
    }
}
