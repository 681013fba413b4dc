import { AwsError } from './errors';
import { denialReason } from './permissions';
import type { ServiceDefinition } from './service';
import { queryError, queryResponse, text } from './xml';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * STS: GetCallerIdentity only. AWS answers it for any valid credentials, even under an explicit
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
  accessDenied: ({ caller }, spec, decision) =>
    new AwsError(403, 'AccessDenied', `User: ${caller.arn} is not authorized to perform: ${spec.permission} ${denialReason(decision, spec.permission)}`),
  renderResult: (action, body, requestId) => queryResponse(action, XMLNS, body, requestId),
  renderError: (error, requestId) => queryError(XMLNS, error, requestId),
};
