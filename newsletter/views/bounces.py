# being written
def bounce_webhook(request):  # placeholder until the view lands
    raise NotImplementedError
