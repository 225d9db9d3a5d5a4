/** Prompts offered in the chat per agent: each shows one streaming pattern. */
export interface Prompt {
  title: string;
  message: string;
}

const TABLE = `month,visitors,signups
Jan,1200,48
Feb,1350,61
Mar,1710,77
Apr,1655,70
May,2040,96`;

export const PROMPTS: Record<string, Prompt[]> = {
  default: [
    { title: "Analyze the document", message: "Analyze the document" },
    { title: "Draft a section", message: "Draft a section about backpressure" },
    { title: "Ask a question", message: "What is backpressure in streaming?" },
    { title: "Publish (fails midway)", message: "Publish the document" },
  ],
  research: [
    { title: "Backpressure", message: "What is backpressure and how do streams handle it?" },
    {
      title: "Server-sent events",
      message: "How do server-sent events reconnect after a dropped connection?",
    },
    { title: "AG-UI", message: "What events does the AG-UI protocol define?" },
  ],
  analyst: [
    { title: "Analyze a table", message: `Analyze this table:\n${TABLE}` },
    {
      title: "Analyze text",
      message:
        "Summarize and analyze this: Streaming interfaces show partial results as soon as they exist. Users trust a system more when they can watch it work, and they can stop it early when it goes the wrong way. The cost is complexity: every component must handle text that is still arriving.",
    },
  ],
  calculator: [
    { title: "Arithmetic", message: "2 * (3 + 4) ^ 2 / 7" },
    { title: "Units", message: "5 km to mile" },
  ],
  team: [
    {
      title: "Research and analyze",
      message: "Research and analyze how server-sent events handle backpressure",
    },
  ],
  llm: [{ title: "Analyze the document", message: "Analyze the document and tell me what to fix first" }],
};
