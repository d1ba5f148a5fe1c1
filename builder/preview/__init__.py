"""The live preview's build (`make serve`, builder/serve.py): the stages of `python -m builder build`, kept warm
between changes so that a saved file shows in the open page within seconds. `make site` / `make publish` never
come here."""
