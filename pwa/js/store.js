// The phone's own storage (IndexedDB): the outbox, the synced records, a few settings.
// One schema, grown by versioned upgrade steps; never awaits the network inside a transaction.
import { deleteDB, openDB } from "/static/vendor/idb-8.0.4.js";

const NAME = "handvast";
let opening = null;

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    const outbox = db.createObjectStore("outbox", { keyPath: "id" });
    outbox.createIndex("seq", "seq");
    db.createObjectStore("records", { keyPath: ["type", "id"] });
    db.createObjectStore("meta");
  }
}

export function open() {
  opening ??= openDB(NAME, 1, {
    upgrade,
    // Another tab or the worker wants to delete the database (sign-out): let it.
    blocking() { close(); },
    terminated() { opening = null; },
  });
  return opening;
}

export async function close() {
  if (!opening) return;
  const db = await opening;
  opening = null;
  db.close();
}

export async function wipe() {
  await close();
  await deleteDB(NAME);
}

export async function getMeta(key) {
  return (await open()).get("meta", key);
}

export async function setMeta(key, value) {
  return (await open()).put("meta", value, key);
}

/** The next seq of this installation and its client id, made once. */
export async function nextSeq() {
  const db = await open();
  const tx = db.transaction("meta", "readwrite");
  const seq = ((await tx.store.get("seq")) ?? 0) + 1;
  await tx.store.put(seq, "seq");
  if (!(await tx.store.get("client_id"))) await tx.store.put(crypto.randomUUID(), "client_id");
  await tx.done;
  return seq;
}

// -- the outbox: mutations of the contract, plus what the phone shows of them ----------------
// It belongs to the user who wrote it: on a shared phone each user sees, sends and discards
// only their own items; the others wait, unseen, for their author to sign in again.

let owner = null;

/** The signed-in user of this page or worker (the page says, or the server at sync). */
export function setOwner(userId) {
  owner = userId || null;
}

export function currentOwner() {
  return owner;
}

// Items saved before the phone knew who is signed in belong to whoever syncs them first.
const isMine = (item) => owner !== null && (item.user_id ?? owner) === owner;

export async function addToOutbox(item) {
  return (await open()).put("outbox", item);
}

/** Every user's items: only for keeping them through a sign-out, never to show. */
export async function everyonesOutbox() {
  return (await open()).getAllFromIndex("outbox", "seq");
}

export async function outbox() {
  return (await everyonesOutbox()).filter(isMine);
}

export async function waiting() {
  return (await outbox()).filter((item) => item.state === "waiting");
}

export async function outboxItem(id) {
  const item = await (await open()).get("outbox", id);
  return item && isMine(item) ? item : undefined;
}

export async function removeFromOutbox(ids) {
  const tx = (await open()).transaction("outbox", "readwrite");
  await Promise.all([...ids].map((id) => tx.store.delete(id)));
  await tx.done;
}

export async function setAside(rejections) {
  const tx = (await open()).transaction("outbox", "readwrite");
  for (const { id, errors } of rejections) {
    const item = await tx.store.get(id);
    if (item) await tx.store.put({ ...item, state: "rejected", errors });
  }
  await tx.done;
}

// -- records from pull --------------------------------------------------------------------

/** Apply one page of pulled changes and move the cursor, in one transaction. */
export async function applyChanges(changes, cursor) {
  const tx = (await open()).transaction(["records", "meta"], "readwrite");
  const records = tx.objectStore("records");
  for (const change of changes) {
    if (change.deleted) records.delete([change.type, change.id]);
    else records.put({ type: change.type, id: change.id, version: change.version, data: change.data });
  }
  tx.objectStore("meta").put(cursor, "cursor");
  await tx.done;
}

/** Apply one page of a snapshot (a first sync) in one transaction: its records, the token
 * of the next page (so an interrupted snapshot goes on where it stopped), and at the last
 * page the cursor the pulls continue from. */
export async function applySnapshot(changes, next, cursor) {
  const tx = (await open()).transaction(["records", "meta"], "readwrite");
  const records = tx.objectStore("records");
  for (const change of changes) records.put({ type: change.type, id: change.id, version: change.version, data: change.data });
  const meta = tx.objectStore("meta");
  if (next) meta.put(next, "snapshot_next");
  else meta.delete("snapshot_next");
  if (cursor) meta.put(cursor, "cursor");
  await tx.done;
}

/** Every record kept on the phone, shaped as a pulled change. */
export async function everyRecord() {
  return (await (await open()).getAll("records")).map((r) => ({ ...r, deleted: false }));
}

export async function forgetRecords() {
  const tx = (await open()).transaction(["records", "meta"], "readwrite");
  tx.objectStore("records").clear();
  tx.objectStore("meta").delete("cursor");
  tx.objectStore("meta").delete("snapshot_next");
  await tx.done;
}

/** Sign-out while others' work waits: everything but the outbox and this phone's ids goes. */
export async function forgetAllButOutbox() {
  const tx = (await open()).transaction(["records", "meta"], "readwrite");
  tx.objectStore("records").clear();
  const meta = tx.objectStore("meta");
  for (const key of await meta.getAllKeys()) {
    if (!["client_id", "seq"].includes(key)) meta.delete(key);
  }
  await tx.done;
}

/** One record as the last pull left it on the phone, or undefined. */
export async function record(type, id) {
  return (await open()).get("records", [type, id]);
}

/** Every record of one type kept on the phone. */
export async function recordsOf(type) {
  return (await open()).getAll("records", IDBKeyRange.bound([type], [type, []]));
}
