import { Chat } from "./chat";

export default function ChatPage() {
  return (
    <main>
      <h1>CopilotChat on the same route</h1>
      <p>
        Send a number: the <code>counter</code> agent counts to it in the chat.
      </p>
      <Chat />
    </main>
  );
}
