// Turning Baileys message events into the worker protocol's `message` and
// `message_status` events. Pure functions: unit-tested without a socket.

const IGNORED_SERVERS = ['@g.us', '@broadcast', '@newsletter'];
// content types that carry no conversation (key distribution, receipts, edits...)
const SILENT_TYPES = new Set(['protocolMessage', 'senderKeyDistributionMessage', 'reactionMessage', 'messageContextInfo']);

/** True for a one-to-one chat with a person (phone-number or privacy id). */
export function isPersonJid(jid) {
  return typeof jid === 'string' && (jid.endsWith('@s.whatsapp.net') || jid.endsWith('@lid'))
    && !IGNORED_SERVERS.some((s) => jid.endsWith(s));
}

/** Text of a message, or a bracketed placeholder for media without caption; null to skip. */
export function messageText(message) {
  if (!message || typeof message !== 'object') return null;
  if (typeof message.conversation === 'string' && message.conversation) return message.conversation;
  if (message.extendedTextMessage?.text) return message.extendedTextMessage.text;
  for (const [type, content] of Object.entries(message)) {
    if (SILENT_TYPES.has(type) || !content) continue;
    if (typeof content === 'object' && typeof content.caption === 'string' && content.caption) return content.caption;
    if (type.endsWith('Message')) return `[${type.replace(/Message$/, '')}]`;
  }
  return null;
}

/** Protocol `message` events for the personal-chat messages of one `messages.upsert`. */
export function inboundEvents(upsert) {
  if (!upsert || upsert.type !== 'notify' || !Array.isArray(upsert.messages)) return [];
  const out = [];
  for (const m of upsert.messages) {
    const key = m?.key ?? {};
    if (!key.id || !isPersonJid(key.remoteJid)) continue;
    const text = messageText(m.message);
    if (text === null) continue;
    out.push({
      wa_message_id: key.id,
      jid: key.remoteJid,
      alt_jid: isPersonJid(key.remoteJidAlt) ? key.remoteJidAlt : null,
      from_me: Boolean(key.fromMe),
      push_name: typeof m.pushName === 'string' ? m.pushName : null,
      text,
      timestamp: toSeconds(m.messageTimestamp),
    });
  }
  return out;
}

// proto.WebMessageInfo.Status: ERROR 0, PENDING 1, SERVER_ACK 2, DELIVERY_ACK 3, READ 4, PLAYED 5
const STATUS_WORDS = { 0: 'failed', 2: 'sent', 3: 'delivered', 4: 'read', 5: 'read' };

/** Protocol `message_status` events for our own messages of one `messages.update`. */
export function statusEvents(updates) {
  if (!Array.isArray(updates)) return [];
  const out = [];
  for (const u of updates) {
    if (!u?.key?.fromMe || !u.key.id) continue;
    const word = STATUS_WORDS[u.update?.status];
    if (word) out.push({ wa_message_id: u.key.id, status: word });
  }
  return out;
}

/** "<digits>:<device>@s.whatsapp.net" -> "+<digits>"; null for anything else. */
export function phoneFromJid(jid) {
  if (typeof jid !== 'string' || !jid.endsWith('@s.whatsapp.net')) return null;
  const user = jid.split('@')[0].split(':')[0];
  return /^[1-9][0-9]{6,14}$/.test(user) ? `+${user}` : null;
}

function toSeconds(ts) {
  if (typeof ts === 'number') return ts;
  if (ts && typeof ts.toNumber === 'function') return ts.toNumber();
  if (typeof ts === 'string' && /^[0-9]+$/.test(ts)) return Number(ts);
  return Math.floor(Date.now() / 1000);
}
