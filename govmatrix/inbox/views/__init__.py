"""The inbox pages: messages, replies, and the office's pages."""
