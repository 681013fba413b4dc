import { catalogOf } from '../../diagnosis/entry';

// HashiCorp Vault's rows of the diagnosis catalog: the connector runbook's HashiCorp Vault rows and the
// neighbours an admin meets next. `{test}` becomes the credential's own test command,
// which never holds a secret.

const VAULT_TOKENS = 'https://developer.hashicorp.com/vault/docs/concepts/tokens';
const VAULT_POLICIES = 'https://developer.hashicorp.com/vault/docs/concepts/policies';

// prettier-ignore
export const VAULT_CATALOG = catalogOf('VAULT', [
  { id: 'vault.invalid-token', codes: ['InvalidToken'], cause: 'Vault does not accept this token (permission denied, invalid token): it is mistyped, it was revoked, or its TTL ran out and Vault revoked it.', remedy: ['Export the token as VAULT_TOKEN (read -rs VAULT_TOKEN && export VAULT_TOKEN) and run {test}: if it fails too, the token is gone.', 'If the token expired or was revoked, create a new one with the policies it needs (vault token create -policy=…) and Edit this credential.', 'For a long-lived integration, use a periodic token or an auth method (AppRole) and renew it.'], link: VAULT_TOKENS },
  { id: 'vault.token-expired', codes: ['Context.TokenExpired'], cause: 'The Vault token expired: its TTL elapsed at {expiresAt}, and Vault revokes a token when its TTL runs out.', remedy: ['An expired token cannot be renewed: create a new token with the same policies (vault token create -policy=… -ttl=…) and Edit this credential with it.', 'To avoid this, renew the token before it expires (vault token renew) or use a periodic token.'], link: VAULT_TOKENS },
  { id: 'vault.permission-denied', codes: ['PermissionDenied'], cause: 'Vault knows the token but its policies do not allow looking itself up (permission denied): the token lacks the required policy, e.g. it was created with -no-default-policy.', remedy: ['With VAULT_TOKEN set to the token, run {test} and compare the policies it lists with the ones the integration needs.', 'Attach the needed policies (the default policy allows auth/token/lookup-self) by creating a new token with them, then Edit this credential.', 'If a namespace is set, check that the token belongs to that namespace.'], link: VAULT_POLICIES },
  { id: 'vault.sealed', codes: ['VaultSealed'], cause: 'Vault is sealed: it answers every request with 503 until an operator unseals it. This says nothing about the token.', remedy: ['Run {test}: "Sealed true" confirms it.', 'Ask the Vault operators to unseal it (vault operator unseal, or check auto-unseal), then Retry.'], link: 'https://developer.hashicorp.com/vault/docs/concepts/seal' },
  { id: 'vault.server-error', codes: ['HTTP500', 'HTTP503', 'HTTP429', 'HTTP472', 'HTTP473'], cause: 'Vault answered with a server error, a rate limit or a standby status, even after retries. This says nothing about the token.', remedy: ['Run {test} to see the server’s state (sealed, standby, HA leader).', 'Retry in a minute; the credential was not marked invalid.'], link: 'https://developer.hashicorp.com/vault/api-docs#http-status-codes' },
  { id: 'vault.not-vault', codes: ['NotVault'], cause: 'Something answered at the address, but not Vault’s token API: the address or port is wrong, or a proxy is in between.', remedy: ['Set the Address to what VAULT_ADDR holds, e.g. https://vault.example.com:8200 (no /v1 path).', 'Run {test} against it.'], link: 'https://developer.hashicorp.com/vault/api-docs/auth/token#lookup-a-token-self' },
]);
