import { AwsError, validationError } from './errors';
import { denialReason } from './permissions';
import type { ServiceDefinition } from './service';
import { node, queryError, queryResponse, text } from './xml';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * STS: GetCallerIdentity, GetSessionToken and DecodeAuthorizationMessage. AWS answers it for any valid credentials, even under an explicit
 * deny, so it carries no permission. Temporary credentials report the user they were issued to,
 * which is what GetSessionToken credentials do on AWS.
 */
export const sts: ServiceDefinition = {
  name: 'sts',
  version: '2011-06-15',
  xmlns: XMLNS,
  actions: {
    GetCallerIdentity: {
      run: ({ caller }) => text('Arn', caller.arn) + text('UserId', caller.userId) + text('Account', caller.account),
    },
    // Temporary credentials for the caller's own IAM user, which GetCallerIdentity (and every
    // other call) then accepts until they expire. AWS checks no policy for it.
    GetSessionToken: {
      run: ({ state, caller, params, now }) => {
        if (caller.isSession) throw new AwsError(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
        const raw = params.get('DurationSeconds');
        const duration = raw === undefined ? 43_200 : Number(raw);
        if (!Number.isInteger(duration)) throw validationError(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
        if (duration < 900) throw validationError(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
        if (duration > 129_600) throw validationError(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600`);
        const serial = params.get('SerialNumber');
        const code = params.get('TokenCode');
        if (code !== undefined && !/^\d{6}$/.test(code)) {
          throw validationError(`Value '${code}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*`);
        }
        if (serial !== undefined || code !== undefined) {
          const device = serial === undefined ? undefined : state.getMfaDevice(serial);
          if (!device || device.account !== caller.account || device.userName !== caller.userName || code === undefined) {
            throw new AwsError(403, 'AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code.');
          }
          if (device.code !== code) throw new AwsError(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');
        }
        const expiresAt = new Date(now.getTime() + duration * 1000);
        const c = state.createSessionCredentials(caller.userName, { expiresAt, account: caller.account });
        return node('Credentials', text('AccessKeyId', c.accessKeyId), text('SecretAccessKey', c.secretAccessKey), text('SessionToken', c.sessionToken), text('Expiration', expiresAt.toISOString()));
      },
    },
    // Decodes the stand-in authorization messages EC2's refusals carry (see ec2.ts).
    DecodeAuthorizationMessage: {
      permission: 'sts:DecodeAuthorizationMessage',
      run: ({ params }) => {
        const encoded = params.get('EncodedMessage') ?? '';
        let decoded: string;
        try {
          decoded = Buffer.from(encoded, 'base64url').toString('utf8');
          JSON.parse(decoded);
        } catch {
          throw new AwsError(400, 'InvalidAuthorizationMessageException', 'The encoded message is not valid.');
        }
        return text('DecodedMessage', decoded);
      },
    },
  },
  accessDenied: ({ caller }, spec, decision) => new AwsError(403, 'AccessDenied', `User: ${caller.arn} is not authorized to perform: ${spec.permission} ${denialReason(decision, spec.permission)}`),
  renderResult: (action, body, requestId) => queryResponse(action, XMLNS, body, requestId),
  renderError: (error, requestId) => queryError(XMLNS, error, requestId),
};
