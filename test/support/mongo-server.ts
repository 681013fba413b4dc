// A loopback stand-in for a MongoDB server (Debian 12 ships none), speaking the real wire
// protocol so the official `mongodb` driver does the real client side:
//   - OP_QUERY `isMaster`/`hello` on admin.$cmd (the driver's first handshake) answered with
//     OP_REPLY, then OP_MSG for every command (MongoDB Wire Protocol, "OP_MSG");
//   - SCRAM-SHA-256 (RFC 5802, RFC 7677) through `saslStart`/`saslContinue`: the server keeps
//     only the salt, StoredKey and ServerKey, verifies the client proof and sends its
//     signature; a wrong password or unknown user gets code 18 `AuthenticationFailed`;
//   - `ping`, `buildInfo`, `endSessions`; any other command `CommandNotFound` (59).
// It listens on 127.0.0.1 only (TLS with a certificate from makeTestCa() when asked), and
// can be told to accept connections and never answer, to test deadlines.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { createServer as createTlsServer } from 'node:tls';
import { Binary, deserialize, serialize, type Document } from 'bson';
import type { TestCa } from './connector-servers';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const ITERATIONS = 4096; // the minimum RFC 7677 allows, and MongoDB's default for SHA-256
const MAX_WIRE_VERSION = 21; // MongoDB 7.0

interface ScramUser {
  db: string;
  user: string;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

interface Conversation {
  user: ScramUser | undefined;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
}

export interface MongoStandIn {
  host: '127.0.0.1';
  port: number;
  /** The user and password the server knows, in database `db`. */
  user: string;
  password: string;
  db: string;
  /** The commands the server was sent, by name, in order. */
  commands: string[];
  /** Stop answering (connections are accepted and then left silent). */
  silent(on: boolean): void;
  stop(): Promise<void>;
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

/** What the server stores for a user: never the password (RFC 5802 §3). */
function scramUser(db: string, user: string, password: string): ScramUser {
  const salt = randomBytes(28);
  // The driver SASLprep's the password; the test passwords are plain ASCII, where SASLprep is the identity.
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return { db, user, salt, storedKey: sha256(clientKey), serverKey: hmac(salted, 'Server Key') };
}

/** attr=value pairs of a SCRAM message. */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i), part.slice(i + 1));
  }
  return out;
}

const unescapeName = (n: string) => n.replace(/=2C/g, ',').replace(/=3D/g, '=');

function authFailed(): Document {
  return { ok: 0, errmsg: 'Authentication failed.', code: 18, codeName: 'AuthenticationFailed' };
}

function payloadOf(cmd: Document): string {
  const p = cmd.payload as Binary | string | undefined;
  if (p instanceof Binary) return Buffer.from(p.buffer).toString('utf8');
  return typeof p === 'string' ? p : '';
}

/** `forgeServerSignature`: the server accepts the proof but signs with a key it does not have (an impostor), which the driver must refuse. */
export async function startMongoStandIn(opts: { user?: string; password?: string; db?: string; tls?: TestCa; forgeServerSignature?: boolean } = {}): Promise<MongoStandIn> {
  const db = opts.db ?? 'admin';
  const user = opts.user ?? 'keyward_app';
  const password = opts.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const users = [scramUser(db, user, password)];
  const commands: string[] = [];
  let quiet = false;
  let connectionId = 0;
  const sockets = new Set<Socket>();

  function hello(cmd: Document, id: number): Document {
    const reply: Document = {
      helloOk: true,
      ismaster: true,
      isWritablePrimary: true,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: id,
      minWireVersion: 0,
      maxWireVersion: MAX_WIRE_VERSION,
      readOnly: false,
      ok: 1,
    };
    // "db.user" asks which mechanisms the user may use (the driver then picks SCRAM-SHA-256).
    if (typeof cmd.saslSupportedMechs === 'string') reply.saslSupportedMechs = ['SCRAM-SHA-256'];
    return reply;
  }

  function run(cmd: Document, conn: { id: number; conversation?: Conversation; authenticated: boolean }): Document {
    const name = Object.keys(cmd)[0] ?? '';
    commands.push(name);
    const dbName = typeof cmd.$db === 'string' ? cmd.$db : 'admin';
    switch (name) {
      case 'hello':
      case 'isMaster':
      case 'ismaster':
        return hello(cmd, conn.id);
      case 'saslStart': {
        if (cmd.mechanism !== 'SCRAM-SHA-256')
          return { ok: 0, errmsg: `Received authentication for mechanism ${String(cmd.mechanism)} which is not enabled`, code: 334, codeName: 'MechanismUnavailable' };
        const clientFirst = payloadOf(cmd);
        if (!clientFirst.startsWith('n,,')) return authFailed();
        const clientFirstBare = clientFirst.slice(3);
        const a = attributes(clientFirstBare);
        const clientNonce = a.get('r');
        if (!clientNonce) return authFailed();
        const found = users.find((u) => u.db === dbName && u.user === unescapeName(a.get('n') ?? ''));
        // An unknown user is told exactly what a wrong password is (MongoDB logs UserNotFound, answers 18).
        if (!found) return authFailed();
        const nonce = clientNonce + randomBytes(24).toString('base64');
        const serverFirst = `r=${nonce},s=${found.salt.toString('base64')},i=${ITERATIONS}`;
        conn.conversation = { user: found, clientFirstBare, serverFirst, nonce };
        return { conversationId: 1, done: false, payload: new Binary(Buffer.from(serverFirst)), ok: 1 };
      }
      case 'saslContinue': {
        const conv = conn.conversation;
        conn.conversation = undefined;
        if (!conv?.user) return authFailed();
        const clientFinal = payloadOf(cmd);
        const a = attributes(clientFinal);
        const proof = a.get('p');
        if (a.get('r') !== conv.nonce || a.get('c') !== 'biws' || !proof) return authFailed();
        const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
        const authMessage = `${conv.clientFirstBare},${conv.serverFirst},${withoutProof}`;
        const clientSignature = hmac(conv.user.storedKey, authMessage);
        const proofBytes = Buffer.from(proof, 'base64');
        if (proofBytes.length !== clientSignature.length) return authFailed();
        // ClientKey = ClientProof XOR ClientSignature; the password is right when H(ClientKey) = StoredKey.
        const clientKey = Buffer.from(proofBytes.map((b, i) => b ^ clientSignature[i]!));
        if (!timingSafeEqual(sha256(clientKey), conv.user.storedKey)) return authFailed();
        conn.authenticated = true;
        const serverKey = opts.forgeServerSignature ? randomBytes(32) : conv.user.serverKey;
        const serverSignature = hmac(serverKey, authMessage).toString('base64');
        return { conversationId: 1, done: true, payload: new Binary(Buffer.from(`v=${serverSignature}`)), ok: 1 };
      }
      case 'ping':
        return { ok: 1 };
      case 'buildInfo':
      case 'buildinfo':
        return { version: '7.0.0', versionArray: [7, 0, 0, 0], maxBsonObjectSize: 16 * 1024 * 1024, ok: 1 };
      case 'endSessions':
        return { ok: 1 };
      default:
        return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
    }
  }

  function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
    const h = Buffer.alloc(16);
    h.writeInt32LE(length, 0);
    h.writeInt32LE(requestId, 4);
    h.writeInt32LE(responseTo, 8);
    h.writeInt32LE(opCode, 12);
    return h;
  }

  let nextRequestId = 1;

  function opMsgReply(responseTo: number, doc: Document): Buffer {
    const body = Buffer.from(serialize(doc));
    const flags = Buffer.alloc(4); // no checksum, no moreToCome
    const length = 16 + 4 + 1 + body.length;
    return Buffer.concat([header(length, nextRequestId++, responseTo, OP_MSG), flags, Buffer.from([0]), body]);
  }

  function opReply(responseTo: number, doc: Document): Buffer {
    const body = Buffer.from(serialize(doc));
    const fixed = Buffer.alloc(20);
    fixed.writeInt32LE(0, 0); // responseFlags
    fixed.writeBigInt64LE(0n, 4); // cursorID
    fixed.writeInt32LE(0, 12); // startingFrom
    fixed.writeInt32LE(1, 16); // numberReturned
    return Buffer.concat([header(16 + 20 + body.length, nextRequestId++, responseTo, OP_REPLY), fixed, body]);
  }

  /** The command document of an OP_MSG: its body section, with any document sequences added as arrays. */
  function opMsgCommand(msg: Buffer): { doc: Document; moreToCome: boolean } {
    const flags = msg.readUInt32LE(16);
    let at = 20;
    const end = flags & 1 ? msg.length - 4 : msg.length; // checksumPresent
    let doc: Document = {};
    const sequences: Record<string, Document[]> = {};
    while (at < end) {
      const kind = msg[at]!;
      at += 1;
      if (kind === 0) {
        const size = msg.readInt32LE(at);
        doc = deserialize(msg.subarray(at, at + size), { promoteLongs: true });
        at += size;
      } else {
        const size = msg.readInt32LE(at);
        const stop = at + size;
        let p = at + 4;
        const nul = msg.indexOf(0, p);
        const id = msg.subarray(p, nul).toString('utf8');
        p = nul + 1;
        const docs: Document[] = [];
        while (p < stop) {
          const dsize = msg.readInt32LE(p);
          docs.push(deserialize(msg.subarray(p, p + dsize)));
          p += dsize;
        }
        sequences[id] = docs;
        at = stop;
      }
    }
    return { doc: { ...doc, ...sequences }, moreToCome: (flags & 2) !== 0 };
  }

  function onConnection(socket: Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const conn = { id: ++connectionId, authenticated: false } as { id: number; conversation?: Conversation; authenticated: boolean };
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (quiet) return;
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 16) {
        const length = buffered.readInt32LE(0);
        if (length < 16 || length > 48_000_000) return void socket.destroy();
        if (buffered.length < length) return;
        const msg = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        const requestId = msg.readInt32LE(4);
        const opCode = msg.readInt32LE(12);
        if (opCode === OP_QUERY) {
          // flags (4), fullCollectionName (cstring), numberToSkip (4), numberToReturn (4), query.
          const nul = msg.indexOf(0, 20);
          const at = nul + 1 + 8;
          const query = deserialize(msg.subarray(at, at + msg.readInt32LE(at)));
          const cmd = (query.$query as Document | undefined) ?? query;
          socket.write(opReply(requestId, run({ ...cmd, $db: 'admin' }, conn)));
        } else if (opCode === OP_MSG) {
          const { doc, moreToCome } = opMsgCommand(msg);
          const reply = run(doc, conn);
          if (!moreToCome) socket.write(opMsgReply(requestId, reply));
        } else {
          socket.destroy(); // OP_COMPRESSED and the legacy opcodes are not spoken here
        }
      }
    });
  }

  const server: Server = opts.tls ? createTlsServer({ cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) }, onConnection) : createNetServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    db,
    commands,
    silent(on) {
      quiet = on;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
