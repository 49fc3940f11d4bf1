"""The conversation wizard (DESIGN.md §3): stages, question lists, the match, the plan,
reflection and summary."""

from careerdesk.ui.wizard.wizard import ConversationWizard

__all__ = ["ConversationWizard"]
