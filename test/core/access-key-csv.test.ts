import { describe, expect, it } from 'vitest';
import { parseAccessKeyCsv } from '../../shared/access-key-csv';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('the AWS console access key CSV', () => {
  it('reads the current two-column file (with a BOM and CRLF)', () => {
    expect(parseAccessKeyCsv(`\uFEFFAccess key ID,Secret access key\r\n${ID},${SECRET}\r\n`)).toEqual({ accessKeyId: ID, secretAccessKey: SECRET, userName: null });
  });

  it('reads the older five-column file, with its user name and quoted fields', () => {
    const text = `User name,Password,Access key ID,Secret access key,Console login link\n"SynergistExpress-1234",,${ID},"${SECRET}",https://123456789012.signin.aws.amazon.com/console\n`;
    expect(parseAccessKeyCsv(text)).toEqual({ accessKeyId: ID, secretAccessKey: SECRET, userName: 'SynergistExpress-1234' });
  });

  it('says what is wrong, never quoting the secret', () => {
    const bad: Array<[string, RegExp]> = [
      ['user,arn\nx,y\n', /first line must name the columns "Access key ID" and "Secret access key"/],
      ['Access key ID,Secret access key\n', /no key in it/],
      [`Access key ID,Secret access key\n${ID},${SECRET}\n${ID},${SECRET}\n`, /holds 2 keys/],
      [`Access key ID,Secret access key\nASIAIOSFODNN7EXAMPLE,${SECRET}\n`, /not an IAM user access key id/],
      [`Access key ID,Secret access key\n${ID},${SECRET.slice(0, 30)}\n`, /is 30 characters; AWS secret access keys are 40/],
    ];
    for (const [text, message] of bad) {
      let err: Error | null = null;
      try {
        parseAccessKeyCsv(text);
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).toMatch(message);
      expect(err?.message).not.toContain(SECRET.slice(0, 30));
    }
  });
});
