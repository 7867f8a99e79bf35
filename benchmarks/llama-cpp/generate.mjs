// llama.cpp's own generation speed through node-llama-cpp's prebuilt library, for
// bench-local.sh: the same model, threads, context, prompt and greedy sampling as the local
// provider's harness (LocalGenerationHarness), and the same output.
//
//   node generate.mjs --model FILE --threads T --tokens N --context C --warmup W --runs R \
//       --prompt TEXT
//
// Prints one tab-separated line per measured run (after W warm-up runs):
//   run <prompt tokens> <generated tokens> <prompt ns> <decode ns> <decode CPU ns>
// where the prompt time runs to the first generated token and the decode time from it to the
// last, so the decode covers generated - 1 tokens, each one llama_decode of a single token.
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const options = {model: "", threads: 1, tokens: 128, context: 4096, warmup: 1, runs: 3, prompt: ""};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const name = args[i].replace(/^--/, "");
  if (!(name in options) || i + 1 >= args.length) {
    console.error(`generate.mjs: unknown option or missing value: ${args[i]}`);
    process.exit(2);
  }
  options[name] = typeof options[name] === "number" ? Number(args[i + 1]) : args[i + 1];
}

// never build llama.cpp from source nor download it: the prebuilt library or nothing
const llama = await getLlama({
  gpu: false,
  build: "never",
  skipDownload: true,
  usePrebuiltBinaries: true,
  maxThreads: 0,
  logLevel: LlamaLogLevel.error,
});
const model = await llama.loadModel({modelPath: options.model, gpuLayers: 0});
const context = await model.createContext({
  contextSize: options.context,
  sequences: 1,
  threads: {ideal: options.threads, min: options.threads},
});
const sequence = context.getSequence();
// the begin token first, as llama.cpp's server puts it before a prompt it tokenizes
const promptTokens = [
  ...(model.tokens.bos == null ? [] : [model.tokens.bos]),
  ...model.tokenize(options.prompt),
];

const cpuNanos = () => {
  const used = process.cpuUsage();
  return BigInt(used.user + used.system) * 1000n;
};

async function generate() {
  await sequence.clearHistory();
  const started = process.hrtime.bigint();
  let firstAt = 0n;
  let firstCpu = 0n;
  let generated = 0;
  // an end-of-generation token is generated and fed back like any other, so every run decodes
  // exactly the requested number of tokens
  for await (const token of sequence.evaluate(promptTokens, {temperature: 0, yieldEogToken: true})) {
    void token;
    generated++;
    if (generated === 1) {
      firstAt = process.hrtime.bigint();
      firstCpu = cpuNanos();
    }
    if (generated >= options.tokens) {
      break;
    }
  }
  const endedAt = process.hrtime.bigint();
  return [promptTokens.length, generated, firstAt - started, endedAt - firstAt, cpuNanos() - firstCpu];
}

for (let run = 0; run < options.warmup; run++) {
  await generate();
}
for (let run = 0; run < options.runs; run++) {
  console.log(["run", ...(await generate())].join("\t"));
}
const release = llama.llamaCppRelease;
console.log(["llama.cpp", `${release.repo} ${release.release}`, llama.buildType].join("\t"));
await context.dispose();
await model.dispose();
await llama.dispose();
