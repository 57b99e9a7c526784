/** The sequence numbers of the next `count` events an iterator yields (fewer if it ends first). */
export async function takeSeqs(events: AsyncIterator<{ readonly seq: number }>, count: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.length < count) {
    const next = await events.next();
    if (next.done) break;
    seqs.push(next.value.seq);
  }
  return seqs;
}
