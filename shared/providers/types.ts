// The shape every provider's definition has: its fields (public and secret), their labels,
// validation and command-line flags. Pure, so the form validates as the admin types, main
// validates the same rules again, and `keyward add` derives its flags and help from them.

export interface FieldDef {
  key: string;
  label: string;
  /** 'textarea': a multi-line value (a key file's JSON); secret when `secret` is set. */
  kind: 'text' | 'secret' | 'select' | 'url' | 'textarea';
  required: boolean;
  secret: boolean;
  placeholder?: string;
  help?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  defaultValue?: string;
  /** Read from another field when saved (GCP: the email in the key JSON): shown, never typed. */
  derived?: boolean;
  /** An identifier shown in a fixed-width font (an access key id). */
  mono?: boolean;
  /** The `keyward add` flag, when it is not the key in kebab case (--tenant for tenantId). */
  flag?: string;
  /** The flag's value in the help text (--bind-dn DN); the choices or the default when absent. */
  metavar?: string;
  /** The flag names a file whose text is the value (--ca-file CA.pem): for public values only. */
  fromFile?: boolean;
  /** Validates one value; returns an error message or null. */
  validate: (value: string) => string | null;
}

export interface ProviderDef<Id extends string = string, Type extends string = string> {
  id: Id;
  label: string;
  types: readonly Type[];
  fields: readonly FieldDef[];
  /** The command an admin can run to test the credential outside Keyward (core fills in the settings). */
  testCommand: string;
  /** Computes the `derived` public fields from the fields given (secret ones included). */
  derive?: (fields: Record<string, string | undefined>) => Record<string, string>;
  /** A way to fill the form from a file the provider hands out (the AWS console's access key .csv). */
  fillFrom?: 'aws-access-key-csv';
}

/** Declares a provider, keeping its id and types literal so the registry can derive the enums. */
export function defineProvider<const Id extends string, const Type extends string>(def: ProviderDef<Id, Type>): ProviderDef<Id, Type> {
  return def;
}

/** The `keyward add` flag of a field: its own, or its key in kebab case (bindDn → bind-dn). */
export function flagOf(field: FieldDef): string {
  return field.flag ?? field.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The name `keyward add` knows a provider by: its id in lower case (MONGODB → mongodb). */
export function cliNameOf(def: Pick<ProviderDef, 'id'>): string {
  return def.id.toLowerCase();
}
