// The classic bundle's pool: pages opened from file:// cannot start a Worker from a file, so the
// pool runs its calls on the calling thread (see pool.js).
export async function spawnWorker() {
  return null;
}
