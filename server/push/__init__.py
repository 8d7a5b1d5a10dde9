"""Web push: VAPID keys, each device's subscription, and reminders that carry no personal data."""
