import type { WireTree } from '@slipway/shared'
import type { FileSystemTree } from '../../core/runtime/index.ts'

// btoa/atob take "binary strings"; converting in slices keeps the argument list of fromCharCode bounded.
const SLICE = 0x8000

/// Standard base64 (with padding) of `bytes`, as the local runtime's wire protocol carries binary data.
export function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let start = 0; start < bytes.length; start += SLICE) {
    binary += String.fromCharCode(...bytes.subarray(start, start + SLICE))
  }
  return btoa(binary)
}

/// The bytes of standard base64 `text`; throws on anything else.
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  return bytes
}

/// A port tree as the wire carries it: text stays UTF-8, bytes become base64.
export function toWireTree(tree: FileSystemTree): WireTree {
  const wire: WireTree = {}
  for (const [name, node] of Object.entries(tree)) {
    if ('directory' in node) {
      wire[name] = { directory: toWireTree(node.directory) }
    } else {
      const { contents } = node.file
      wire[name] = {
        file:
          typeof contents === 'string'
            ? { contents, encoding: 'utf-8' }
            : { contents: encodeBase64(contents), encoding: 'base64' },
      }
    }
  }
  return wire
}
