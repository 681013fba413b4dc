/** Services the test server answers, named as in SigV4 credential scopes. */
export type ServiceName = 'sts' | 'iam' | 'ec2' | 'ssm' | 'secretsmanager';

export const SERVICE_NAMES: readonly ServiceName[] = ['sts', 'iam', 'ec2', 'ssm', 'secretsmanager'];

export const isServiceName = (value: string): value is ServiceName => (SERVICE_NAMES as readonly string[]).includes(value);

export type AccessKeyStatus = 'Active' | 'Inactive';

/** Who signed a request, once authentication succeeded. */
export interface Caller {
  account: string;
  userName: string;
  userId: string;
  arn: string;
  accessKeyId: string;
  /** True for ASIA… temporary credentials. */
  isSession: boolean;
}

/** One AWS request the server saw. Never holds a secret: only the (public) access key id. */
export interface RecordedRequest {
  service: ServiceName | 'unknown';
  action: string;
  accessKeyId?: string;
  region?: string;
  /** HTTP status sent; 0 when a drop or timeout fault meant no response was sent. */
  status: number;
  errorCode?: string;
  /** Fault kind that shaped this response, if any. */
  fault?: string;
  at: Date;
}

/** Query parameters of an AWS query-protocol request (form body merged over the URL query). */
export type Params = ReadonlyMap<string, string>;
