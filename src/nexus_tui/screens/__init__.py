"""One module per screen. The four top-level screens are Textual modes (`app.NexusApp.MODES`)."""
