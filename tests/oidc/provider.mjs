// A real OpenID provider (the oidc-provider package) for the sign-in tests.
//
//   node tests/oidc/provider.mjs PORT CLIENT_JSON ACCOUNTS_JSON
//
// CLIENT_JSON: {"client_id", "client_secret", "redirect_uris": [...]}.
// ACCOUNTS_JSON: a file {"<login>": {"email", "name", "groups": [...]}}, read at
// every sign-in, so a test can change a user's groups (or subject) between sign-ins.
// The provider's own development login page accepts any password for a known login.
import fs from "node:fs";
import Provider from "oidc-provider";

const [port, clientJson, accountsFile] = process.argv.slice(2);
const client = JSON.parse(clientJson);
const issuer = `http://127.0.0.1:${port}`;

function accounts() {
  return JSON.parse(fs.readFileSync(accountsFile, "utf8"));
}

const provider = new Provider(issuer, {
  clients: [
    {
      ...client,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  pkce: { required: () => true },
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
    groups: ["groups"],
  },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const found = accounts()[id];
    if (!found) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id, // the provider's subject is the login
          email: found.email,
          email_verified: true,
          name: found.name,
          preferred_username: found.preferred_username || id,
          groups: found.groups,
        };
      },
    };
  },
});
provider.proxy = false;
provider.on("server_error", (ctx, error) => console.error("server_error", error));
provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
