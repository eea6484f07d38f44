from civic import create_app
app = create_app()
