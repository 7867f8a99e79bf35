// Which llama.cpp a compiled library carries, for bench-local.sh: the build number, commit and
// compiler that llama.cpp's build compiles into its common code (LLAMA_BUILD_NUMBER, LLAMA_COMMIT,
// LLAMA_COMPILER), read from the library's symbol table without loading it.
//
//   node build-info.mjs LIBRARY.so
//
// Prints "build <number> commit <hash> compiler <text>", or "no build info" when the library has
// none of these symbols. Reads 64-bit little-endian ELF files only (the x86-64 and arm64 builds).
import {readFileSync} from "node:fs";

const file = readFileSync(process.argv[2]);
if (file.readUInt32BE(0) !== 0x7f454c46 || file[4] !== 2 || file[5] !== 1) {
  console.error(`build-info.mjs: not a 64-bit little-endian ELF file: ${process.argv[2]}`);
  process.exit(2);
}
const sectionsAt = Number(file.readBigUInt64LE(0x28));
const sectionSize = file.readUInt16LE(0x3a);
const sections = Array.from({length: file.readUInt16LE(0x3c)}, (_, i) => {
  const at = sectionsAt + i * sectionSize;
  return {
    type: file.readUInt32LE(at + 4),
    address: file.readBigUInt64LE(at + 0x10),
    offset: Number(file.readBigUInt64LE(at + 0x18)),
    size: Number(file.readBigUInt64LE(at + 0x20)),
    link: file.readUInt32LE(at + 0x28),
    entrySize: Number(file.readBigUInt64LE(at + 0x38)),
  };
});
const SYMBOL_TABLES = [2, 11];
const RELOCATIONS_WITH_ADDENDS = 4;

function symbols() {
  const found = new Map();
  for (const table of sections.filter((s) => SYMBOL_TABLES.includes(s.type))) {
    const names = sections[table.link];
    for (let at = table.offset; at < table.offset + table.size; at += table.entrySize) {
      const nameAt = names.offset + file.readUInt32LE(at);
      const name = file.toString("latin1", nameAt, file.indexOf(0, nameAt));
      if (name.startsWith("LLAMA_")) {
        found.set(name, file.readBigUInt64LE(at + 8));
      }
    }
  }
  return found;
}

function fileOffset(address) {
  const section = sections.find(
    (s) => s.type !== 8 && s.address <= address && address < s.address + BigInt(s.size));
  return section && section.offset + Number(address - section.address);
}

// a pointer in a shared library is filled in at load time: the relocation's addend says where
function pointerAt(address) {
  for (const table of sections.filter((s) => s.type === RELOCATIONS_WITH_ADDENDS)) {
    for (let at = table.offset; at < table.offset + table.size; at += table.entrySize) {
      if (file.readBigUInt64LE(at) === address) {
        return file.readBigUInt64LE(at + 16);
      }
    }
  }
  return file.readBigUInt64LE(fileOffset(address));
}

function text(address) {
  const at = fileOffset(pointerAt(address));
  return file.toString("latin1", at, file.indexOf(0, at));
}

const found = symbols();
if (!found.has("LLAMA_BUILD_NUMBER")) {
  console.log("no build info");
} else {
  const build = file.readInt32LE(fileOffset(found.get("LLAMA_BUILD_NUMBER")));
  const commit = found.has("LLAMA_COMMIT") ? text(found.get("LLAMA_COMMIT")) : "?";
  const compiler = found.has("LLAMA_COMPILER") ? text(found.get("LLAMA_COMPILER")) : "?";
  console.log(`build ${build} commit ${commit} compiler ${compiler}`);
}
