import type { Interaction, InteractionResults } from 'oidc-provider';

export type LoginResult = NonNullable<InteractionResults['login']>;

/**
 * The sign-in a method finished in this interaction, waiting for the citizen's consent. Its completion
 * draws the consent page at once, and the login and the consent end as one result (confirm.ts): the
 * resume applies the login, then loads the consent's grant, and the code follows. Finishing the login
 * first would cost, on every sign-in, a redirect through `/auth/:uid`, a second interaction for the
 * consent prompt, and a redirect to its page.
 */
export function pendingLogin(interaction: Pick<Interaction, 'prompt' | 'result'>): LoginResult | undefined {
  return interaction.prompt.name === 'login' ? interaction.result?.login : undefined;
}

/**
 * The account whose consent the page asks: the pending sign-in's, else the session's (oidc-provider's
 * consent prompt). A browser still signed in as someone else is logged out at the resume, before the
 * consent applies (lib/actions/authorization/resume.js).
 */
export function consentingAccount(interaction: Pick<Interaction, 'prompt' | 'result' | 'session'>): string | undefined {
  return pendingLogin(interaction)?.accountId ?? interaction.session?.accountId;
}

/** A consent is pending: oidc-provider's consent prompt, or a sign-in held in this interaction. */
export function consentPending(interaction: Pick<Interaction, 'prompt' | 'result'>): boolean {
  return interaction.prompt.name === 'consent' || pendingLogin(interaction) !== undefined;
}

/** Keeps the login in the interaction, for its remaining lifetime, until the consent ends both. */
export async function holdLoginForConsent(interaction: Interaction, login: LoginResult): Promise<void> {
  interaction.result = { login };
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
}
