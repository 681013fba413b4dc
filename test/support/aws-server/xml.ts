import type { AwsError } from './errors';

/** Rendering of AWS query-protocol (STS, IAM) and EC2-protocol XML bodies, successes and errors. */

/** Escapes text content. Quotes stay literal, as in AWS's own bodies ("Invalid id: \"sg-1\""). */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An element holding escaped text; omitted entirely when the value is undefined. */
export function text(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** One text element per member, in the order written (an undefined one omitted). */
export function texts(members: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(members)
    .map(([name, value]) => text(name, value))
    .join('');
}

/** An element wrapping already-rendered children. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A list: IAM wraps each entry in <member>, EC2 in <item>. */
export function list(name: string, entries: string[], entryName: 'member' | 'item'): string {
  return node(name, ...entries.map((entry) => node(entryName, entry)));
}

/** ISO-8601 without milliseconds, as IAM and EC2 print timestamps. */
export function isoDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// --- query protocol (STS, IAM) ------------------------------------------------------------------

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`; actions without output have no Result element. */
export function queryResponse(action: string, xmlns: string, result: string | null, requestId: string): string {
  const resultXml = result === null ? '' : node(`${action}Result`, result);
  return `<${action}Response xmlns="${xmlns}">${resultXml}` + `${node('ResponseMetadata', text('RequestId', requestId))}</${action}Response>\n`;
}

export function queryError(xmlns: string, error: AwsError, requestId: string): string {
  return `<ErrorResponse xmlns="${xmlns}">` + node('Error', text('Type', error.type), text('Code', error.code), text('Message', error.message)) + `${text('RequestId', requestId)}</ErrorResponse>\n`;
}

// --- EC2 protocol -------------------------------------------------------------------------------

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** EC2 puts the output members straight under `<ActionResponse>`, after a lower-case <requestId>. */
export function ec2Response(action: string, xmlns: string, body: string, requestId: string): string {
  return `${XML_DECLARATION}<${action}Response xmlns="${xmlns}">${text('requestId', requestId)}${body}</${action}Response>`;
}

/** EC2 errors: no namespace, a list of errors, and RequestID spelt in capitals. */
export function ec2Error(error: AwsError, requestId: string): string {
  return `${XML_DECLARATION}<Response>` + node('Errors', node('Error', text('Code', error.code), text('Message', error.message))) + `${text('RequestID', requestId)}</Response>`;
}
