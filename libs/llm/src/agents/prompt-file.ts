import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PromptFile {
  /** `criteria.v1`: stored on each segment with the LLM's criteria. */
  id: string;
  system: string;
  user: string;
}

/**
 * A prompt kept as a versioned file (`prompts/<name>.<version>.md`: a `# system` and a `# user`
 * section with `{{placeholders}}`), so a change to a prompt is a new file and a segment says which
 * prompt wrote it.
 */
export function loadPrompt(name: string, version: string, dir = 'prompts'): PromptFile {
  const id = `${name}.${version}`;
  const file = join(dir, `${id}.md`);
  if (!existsSync(file)) throw new Error(`No prompt file ${file}`);
  const text = readFileSync(file, 'utf8');
  const system = /^# system\n([\s\S]*?)\n# user\n/m.exec(text)?.[1];
  const user = /^# user\n([\s\S]*)$/m.exec(text)?.[1];
  if (system === undefined || user === undefined)
    throw new Error(`${file} needs a "# system" and a "# user" section`);
  return { id, system: system.trim(), user: user.trim() };
}

/** Fills `{{name}}` placeholders; a placeholder without a value is an error, not an empty hole. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for {{${name}}} in the prompt`);
    return value;
  });
}

/**
 * Text from outside (an offer, a marketer's words) as a delimited data block. Anything in it that
 * looks like a block tag is defused, so the text cannot close its block and speak as instructions.
 */
export function dataBlock(tag: string, text: string): string {
  const defused = text.replace(/<\s*(\/?)\s*([a-z_]+)\s*>/gi, '‹$1$2›');
  return `<${tag}>\n${defused}\n</${tag}>`;
}
