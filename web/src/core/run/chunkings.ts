/// Test support for the streaming kernels (terminal lines, run output): the ways a text can arrive in chunks. The
/// text whole, cut in two at every position, one character at a time, and in a few seeded random cuts, so a test
/// can assert that every way gives the same answer.
export function chunkings(text: string, seeds = 5): string[][] {
  const ways: string[][] = [[text]]
  for (let i = 1; i < text.length; i++) ways.push([text.slice(0, i), text.slice(i)])
  ways.push([...text])
  for (let seed = 1; seed <= seeds; seed++) {
    let state = seed * 2654435761
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const chunks: string[] = []
    for (let at = 0; at < text.length; ) {
      const size = 1 + Math.floor(random() * 12)
      chunks.push(text.slice(at, at + size))
      at += size
    }
    ways.push(chunks)
  }
  return ways
}
